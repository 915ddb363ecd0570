package io.pivotctl.release;

import io.pivotctl.kube.KubeTarget;
import io.pivotctl.validate.LoadedArchive;
import java.time.Duration;

/**
 * release-source: the archive, the source to release, and the target that must be verified first
 * ({@code verifiedOn}, null with {@code skipVerify}). {@code execute} false makes a plan and writes nothing.
 * {@code detachTimeout} zero skips the wait for BMO (a source whose BMO is already gone).
 */
public record ReleaseRequest(LoadedArchive archive, KubeTarget source, KubeTarget verifiedOn, boolean skipVerify,
        String leasesNamespace, String leasesConfigMap, boolean execute, Duration detachTimeout, Duration pollInterval) {
}

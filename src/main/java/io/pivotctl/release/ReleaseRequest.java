package io.pivotctl.release;

import io.pivotctl.kube.KubeTarget;
import io.pivotctl.kube.NamespacedName;
import io.pivotctl.validate.LoadedArchive;
import java.time.Duration;

/**
 * release-source: the archive, the source to release, and the target that must be verified first
 * ({@code verifiedOn} with the leases ConfigMap verify compares; null with {@code skipVerify}). {@code execute} false
 * makes a plan and writes nothing. {@code detachTimeout} zero skips the wait for BMO (a source whose BMO is already
 * gone). Made with {@link #plan} or {@link #execute}, then the {@code with...} methods.
 */
public record ReleaseRequest(LoadedArchive archive, KubeTarget source, KubeTarget verifiedOn, NamespacedName leasesConfigMap,
        boolean skipVerify, boolean execute, Duration detachTimeout, Duration pollInterval) {

    public static final NamespacedName DEFAULT_LEASES = new NamespacedName("metal3", "dnsmasq-leases-configmap");
    public static final Duration DEFAULT_DETACH_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

    /** Print what would be done, write nothing. */
    public static ReleaseRequest plan(LoadedArchive archive, KubeTarget source) {
        return new ReleaseRequest(archive, source, null, DEFAULT_LEASES, false, false, DEFAULT_DETACH_TIMEOUT, DEFAULT_POLL);
    }

    /** Release the source (--yes): needs {@link #withVerifiedOn} or {@link #withoutVerify}. */
    public static ReleaseRequest execute(LoadedArchive archive, KubeTarget source) {
        return new ReleaseRequest(archive, source, null, DEFAULT_LEASES, false, true, DEFAULT_DETACH_TIMEOUT, DEFAULT_POLL);
    }

    /** Run pivotctl verify against {@code target} (its leases in {@code leases}) first; refuse unless equal. */
    public ReleaseRequest withVerifiedOn(KubeTarget target, NamespacedName leases) {
        return new ReleaseRequest(archive, source, target, leases, false, execute, detachTimeout, pollInterval);
    }

    /** The operator verified the target with their own means (--skip-verify). */
    public ReleaseRequest withoutVerify() {
        return new ReleaseRequest(archive, source, null, leasesConfigMap, true, execute, detachTimeout, pollInterval);
    }

    /** How long to wait for BMO to report the hosts detached, and how often to look. */
    public ReleaseRequest withDetachWait(Duration timeout, Duration poll) {
        return new ReleaseRequest(archive, source, verifiedOn, leasesConfigMap, skipVerify, execute, timeout, poll);
    }
}

package io.pivotctl.restore;

import io.pivotctl.kube.KubeTarget;

/** What {@code pivotctl import} was asked to do ({@code rollback}: undo a kept journal instead of importing). */
public record ImportRequest(
        KubeTarget target,
        String archive,
        boolean dryRun,
        ConflictPolicy onConflict,
        Scope only,
        boolean installCrds,
        boolean keepPaused,
        String leasesNamespace,
        String leasesConfigMap,
        boolean noRollback,
        boolean resume,
        boolean bmhStatusAnnotation,
        boolean rollback) {

    public static final String DEFAULT_LEASES_NAMESPACE = "metal3";
    public static final String DEFAULT_LEASES_CONFIGMAP = "dnsmasq-leases-configmap";

    /** {@code --only}: both (default, leases first), leases only, or objects only. */
    public enum Scope { ALL, LEASES, OBJECTS }
}

package io.pivotctl.restore;

import io.pivotctl.PivotctlException;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import java.nio.file.Path;

/** The cluster an import works on: its API, what it serves, and where the journal of this archive's import into it lives. */
record ImportTarget(ResourceApi api, Discovery discovery, Path journalPath) {

    /** Says where it connects, and asks the server for its version: a target that does not answer fails here, before any mode starts. */
    static ImportTarget connect(ClusterConnection conn, ImportJob job) {
        ResourceClient api = new ResourceClient(conn);
        Discovery discovery = new Discovery(conn);
        job.progress().phase("connecting to " + conn.server());
        discovery.serverVersion();
        return new ImportTarget(api, discovery, Journal.pathFor(job.archiveId(), clusterId(api)));
    }

    /**
     * The target's cluster id (namespace kube-system's UID), which names its journal. One that cannot be read is an error,
     * never "unknown": two targets sharing one journal would each resume or roll back the other's import.
     */
    static String clusterId(ResourceApi api) {
        java.util.Optional<String> uid;
        try {
            uid = api.get(ResourceType.NAMESPACE, null, "kube-system").map(ImportRun::uidOf).filter(u -> !u.isEmpty());
        } catch (RuntimeException e) {
            throw PivotctlException.failed("cannot read the target's cluster id (the UID of namespace kube-system), which names the import journal: "
                    + ApiErrors.describe(e, "get", "namespace kube-system", api.server()).getMessage());
        }
        return uid.orElseThrow(() -> PivotctlException.failed("cannot read the target's cluster id: namespace kube-system does not exist on "
                + api.server() + " (the import journal is named by its UID)"));
    }
}

package io.pivotctl.restore;

import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceClient;
import java.nio.file.Path;

/** The cluster an import works on: its API, what it serves, and where the journal of this archive's import into it lives. */
record ImportTarget(ResourceApi api, Discovery discovery, Path journalPath) {

    /** Says where it connects, and asks the server for its version: a target that does not answer fails here, before any mode starts. */
    static ImportTarget connect(ClusterConnection conn, ImportJob job) {
        ResourceClient api = new ResourceClient(conn);
        Discovery discovery = new Discovery(conn);
        job.progress().phase("connecting to " + conn.server());
        discovery.serverVersion();
        return new ImportTarget(api, discovery, Journal.pathFor(job.archiveId(), discovery.clusterId()));
    }
}

package io.pivotctl.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.vocabulary.PivotctlMarks;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.graph.ObjectId;
import java.util.List;

/**
 * What the plan needs of the live object an archived one names, read once from the listing: who it is and how the
 * plan saw it ({@link PlannedState}), whether it is being deleted, its pause (a host's annotation value; a
 * Cluster's {@code spec.paused} and pivotctl's marker), whether a detach was asked for, and which top-level fields
 * changed since export.
 */
record LiveFacts(PlannedState state, boolean deleting, String hostPause, boolean detachRequested, boolean clusterPaused,
        String clusterPausedBy, List<String> changedSinceExport) {

    LiveFacts {
        changedSinceExport = List.copyOf(changedSinceExport);
    }

    static LiveFacts of(ObjectNode live, ArchivedObject archived) {
        ObjectId id = archived.id();
        JsonNode meta = live.path("metadata");
        JsonNode annotations = meta.path("annotations");
        List<String> changed = !archived.uid().equals(meta.path("uid").asText()) ? List.of()
                : id.isCapiCluster() ? ReleasePlanner.changedFields(withoutPause(archived.object()), withoutPause(live.deepCopy()))
                : ReleasePlanner.changedFields(archived.object(), live);
        return new LiveFacts(PlannedState.of(live, id.isBareMetalHost()), meta.hasNonNull("deletionTimestamp"),
                annotations.path(Metal3.HOST_PAUSED).asText(null), annotations.has(Metal3.HOST_DETACHED),
                live.path("spec").path("paused").asBoolean(false), annotations.path(PivotctlMarks.PAUSED_BY).asText(null), changed);
    }

    /** A Cluster's pause is judged on its own (export paused it, unpause lifted it): it is not a change of content. */
    private static ObjectNode withoutPause(ObjectNode cluster) {
        if (cluster.get("spec") instanceof ObjectNode spec) {
            spec.remove("paused");
        }
        return cluster;
    }

    String uid() {
        return state.uid();
    }
}

package io.pivotctl.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.vocabulary.PivotctlMarks;

/**
 * The {@link PivotctlMarks#IMPORT_RUN} label: an import run puts it on everything it creates, and recognises its own
 * creates by it where the server's answer was lost (a retried create, --resume, the rollback's sweep).
 */
final class RunLabel {

    private RunLabel() {
    }

    /** Puts the label on a body about to be created (no-op for journals without a run id). */
    static void put(ObjectNode body, String runId) {
        if (runId != null) {
            body.with("metadata").with("labels").put(PivotctlMarks.IMPORT_RUN, runId);
        }
    }

    /** Whether {@code live} carries run {@code runId}'s label; never for a null run id. */
    static boolean carries(JsonNode live, String runId) {
        return runId != null && runId.equals(live.path("metadata").path("labels").path(PivotctlMarks.IMPORT_RUN).asText(null));
    }

    /**
     * Creates {@code body} (labelled with {@link #put}); after "already exists", the object found is this run's when it
     * carries the label (a retried create whose first attempt landed), else the conflict is thrown.
     */
    static ObjectNode createOrFindOurs(ResourceApi api, ResourceType type, ObjectNode body, String runId) {
        try {
            return api.create(type, body, false);
        } catch (RuntimeException e) {
            if (!ApiErrors.isConflict(e) || runId == null) {
                throw e;
            }
            JsonNode meta = body.path("metadata");
            return api.get(type, type.namespaced() ? meta.path("namespace").asText() : null, meta.path("name").asText())
                    .filter(o -> carries(o, runId)).orElseThrow(() -> e);
        }
    }

    /** The label selector that lists what run {@code runId} created. */
    static String selector(String runId) {
        return PivotctlMarks.IMPORT_RUN + "=" + runId;
    }
}

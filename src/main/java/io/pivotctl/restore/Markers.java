package io.pivotctl.restore;

import io.pivotctl.graph.HostPause;

/** Annotations and fields pivotctl sets on restored objects. */
public final class Markers {

    /**
     * In the create body of every object an import creates (and the body of every update): "created by this
     * archive's import". It does not say the object is complete (status written, unpaused): the journal and
     * {@code verify} prove that. Carried by the create itself, it costs no request of its own.
     */
    public static final String RESTORED_FROM = "pivotctl.io/restored-from";
    public static final String BMH_PAUSED = HostPause.ANNOTATION;
    public static final String BMH_STATUS = "baremetalhost.metal3.io/status";
    public static final String PAUSED_BY = HostPause.BY_PIVOTCTL;
    /**
     * Label on every object an import run creates, valued with the run id of its journal: finds creates whose
     * answer was lost (server died after storing, before replying) for --resume and rollback, and lets a
     * user list what a run restored ({@code kubectl get bmh -l pivotctl.io/import-run=ID}).
     */
    public static final String IMPORT_RUN = "pivotctl.io/import-run";

    private Markers() {
    }

    /** Puts the {@link #IMPORT_RUN} label on a body about to be created (no-op for journals without a run id). */
    static void labelRun(com.fasterxml.jackson.databind.node.ObjectNode body, String runId) {
        if (runId != null) {
            body.with("metadata").with("labels").put(IMPORT_RUN, runId);
        }
    }
}

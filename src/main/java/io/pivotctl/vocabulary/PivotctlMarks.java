package io.pivotctl.vocabulary;

/** The annotations, labels and values pivotctl itself writes on objects, to know later what is its own. */
public final class PivotctlMarks {

    /**
     * The value pivotctl writes into a pause annotation ({@link Metal3#HOST_PAUSED} on hosts, {@link #PAUSED_BY} on
     * Clusters): a pause with this value is pivotctl's, and the only one it ever lifts.
     */
    public static final String PAUSED_BY_PIVOTCTL = "pivotctl";
    /**
     * On a Cluster that {@code export --pause} paused: says the pause is pivotctl's, since {@code spec.paused} names
     * no owner. Export's bookkeeping, never archived.
     */
    public static final String PAUSED_BY = "pivotctl.io/paused-by";
    /**
     * In the create body of every object an import creates (and the body of every update): "created by this
     * archive's import". It does not say the object is complete (status written, unpaused): the journal and
     * {@code verify} prove that. Carried by the create itself, it costs no request of its own.
     */
    public static final String RESTORED_FROM = "pivotctl.io/restored-from";
    /**
     * Label on every object an import run creates, valued with the run id of its journal: finds creates whose
     * answer was lost (server died after storing, before replying) for --resume and rollback, and lets a
     * user list what a run restored ({@code kubectl get bmh -l pivotctl.io/import-run=ID}).
     */
    public static final String IMPORT_RUN = "pivotctl.io/import-run";

    private PivotctlMarks() {
    }
}

package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.ObjectId;
import java.util.Map;

/**
 * What --resume knows of the interrupted run it continues: its run id and the UID of every object its journal says it
 * created. An object on the target is that run's only when it is the journaled object (same UID) or carries the run's
 * {@link io.pivotctl.vocabulary.PivotctlMarks#IMPORT_RUN} label (a create whose answer was lost); an object of the same
 * name with another UID was replaced since, and is someone else's.
 */
record EarlierRun(String runId, Map<ObjectId, String> createdUids) {

    /** A fresh import: nothing on the target is an earlier run's. */
    static final EarlierRun NONE = new EarlierRun(null, Map.of());

    EarlierRun {
        createdUids = Map.copyOf(createdUids);
    }

    /** The journal says the earlier run created {@code id}. */
    boolean journaled(ObjectId id) {
        return createdUids.containsKey(id);
    }

    /** {@code live} is the earlier run's own: the journaled UID, or the run's label. */
    boolean owns(ObjectId id, ObjectNode live) {
        String journaledUid = createdUids.get(id);
        return journaledUid != null && !journaledUid.isEmpty() && journaledUid.equals(ImportRun.uidOf(live)) || RunLabel.carries(live, runId);
    }

    /** The line that names a journaled object replaced since. */
    String replaced(ObjectId id, ObjectNode live) {
        return id + " was created by the interrupted run (UID " + createdUids.get(id) + "), but the object there now is another one (UID "
                + ImportRun.uidOf(live) + "): it was replaced since and is not this import's";
    }
}

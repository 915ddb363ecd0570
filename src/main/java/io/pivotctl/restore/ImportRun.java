package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of one import run: its journal, the archived-to-target UID map, what it created, updated and wrote
 * status on, the previous content of what it updated, and its cancellation. Every change goes through one
 * method here that journals it and records what follows from it, so the journal and the maps never disagree.
 */
final class ImportRun {

    private final Journal journal;
    private final Cancellation cancellation;
    private final Map<String, String> uids = new ConcurrentHashMap<>();
    private final Set<ObjectId> createdBefore;
    private final Set<ObjectId> created = ConcurrentHashMap.newKeySet();
    private final Set<ObjectId> statusWritten = ConcurrentHashMap.newKeySet();
    private final Set<ObjectId> updated = ConcurrentHashMap.newKeySet();
    private final Map<ObjectId, ObjectNode> previous = new ConcurrentHashMap<>();
    private final Map<String, ResourceType> types = new ConcurrentHashMap<>();
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

    /** A run on {@code journal}; when it was reopened (--resume), what the interrupted run did is taken from it. */
    ImportRun(Journal journal, Cancellation cancellation) {
        this.journal = journal;
        this.cancellation = cancellation;
        Journal.State before = journal.state();
        createdBefore = ConcurrentHashMap.newKeySet();
        createdBefore.addAll(before.created());
        created.addAll(before.created());
        statusWritten.addAll(before.statusWritten());
        updated.addAll(before.updated());
        uids.putAll(before.uids());
    }

    Journal journal() {
        return journal;
    }

    String runId() {
        return journal.runId();
    }

    /** This run continues one that was interrupted (--resume): the journal holds what that run did, and its run id. */
    boolean resumes() {
        return journal.reopened();
    }

    void checkCancelled() {
        cancellation.check();
    }

    /** A create the server confirmed (or, after a lost answer, one found carrying this run's label). */
    void created(PlannedObject p, ObjectNode live) {
        String newUid = uidOf(live);
        journal.created(p.id(), p.type(), p.oldUid(), newUid, p.level());
        types.put(p.type().qualifiedResource(), p.type());
        uids.put(p.oldUid(), newUid);
        created.add(p.id());
    }

    /** --resume: an object the interrupted run created without hearing back (it carries the run's label). */
    void adoptUnconfirmed(PlannedObject p) {
        created(p, p.existing());
        createdBefore.add(p.id());
    }

    /** An update of an existing object; {@code before} is what rollback puts back. */
    void updated(PlannedObject p, ObjectNode before, ObjectNode live) {
        previous.put(p.id(), before.deepCopy());
        journal.updated(p.id(), p.type(), p.oldUid(), uidOf(live), p.level());
        types.put(p.type().qualifiedResource(), p.type());
        updated.add(p.id());
    }

    /** An update of a ConfigMap that is not an archived object (the leases). */
    void updated(ObjectId id, ResourceType type, ObjectNode before) {
        previous.put(id, before.deepCopy());
        journal.updated(id, type, null, uidOf(before), -1);
        types.put(type.qualifiedResource(), type);
    }

    /** A create of something that is not an archived object (the leases ConfigMap). */
    void created(ObjectId id, ResourceType type, ObjectNode live) {
        journal.created(id, type, null, uidOf(live), -1, false); // not an archived object: never swept by type, so durable
        types.put(type.qualifiedResource(), type);
    }

    void statusWritten(PlannedObject p) {
        journal.statusWritten(p.id(), p.type(), p.level());
        statusWritten.add(p.id());
    }

    void namespaceCreated(ObjectNode live) {
        journal.namespaceCreated(live.path("metadata").path("name").asText(), uidOf(live));
    }

    void crdCreated(ObjectNode live) {
        journal.crdCreated(live.path("metadata").path("name").asText(), uidOf(live));
    }

    /** An object this run did not create but whose UID owners' references need (skipped, adopted global, external owner). */
    void adopt(String archivedUid, ObjectNode live) {
        if (archivedUid != null && !archivedUid.isEmpty()) {
            uids.put(archivedUid, uidOf(live));
        }
    }

    /** Every level is in place: from now on the run finishes forward and is never rolled back. */
    void applied() {
        journal.applied();
    }

    boolean isApplied() {
        return journal.state().applied();
    }

    void warn(String message) {
        warnings.add(message);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    Map<String, String> uids() {
        return uids;
    }

    /** Created by the interrupted run this one resumes. */
    boolean createdBefore(ObjectId id) {
        return createdBefore.contains(id);
    }

    /** Created by this run or the one it resumes. */
    boolean created(ObjectId id) {
        return created.contains(id);
    }

    Set<ObjectId> createdBefore() {
        return Set.copyOf(createdBefore);
    }

    boolean statusWritten(ObjectId id) {
        return statusWritten.contains(id);
    }

    boolean wasUpdated(ObjectId id) {
        return updated.contains(id);
    }

    Map<ObjectId, ObjectNode> previous() {
        return previous;
    }

    Map<String, ResourceType> types() {
        return types;
    }

    void knowType(ResourceType type) {
        types.put(type.qualifiedResource(), type);
    }

    static String uidOf(ObjectNode live) {
        return live.path("metadata").path("uid").asText();
    }
}

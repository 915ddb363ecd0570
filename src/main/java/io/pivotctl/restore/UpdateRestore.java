package io.pivotctl.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rollback's first step: puts back what {@code --on-conflict update} overwrote, and says which owners must then stay.
 * Each object gets the content it had before (journaled, or kept in memory by the run that updated it), written with
 * the UID and the resourceVersion this run's last write of it produced: the server refuses it when the object was
 * replaced or changed since, and such an object is reported and left as it is. An object left as this run wrote it
 * still names this run's creates as owners: those are kept (with their own owners), or the garbage collector would take
 * the object once they were deleted.
 */
final class UpdateRestore {

    /** One updated object: its first {@link Journal.Op#PREVIOUS} line (null: older journal) and its last {@link Journal.Op#UPDATE} (null: unconfirmed). */
    record Updated(ObjectId id, String resource, Journal.Record previous, Journal.Record update) {
        String uid() {
            return update != null ? update.newUid() : previous.newUid();
        }
    }

    private final ResourceApi api;
    private final Map<String, ResourceType> types;
    private final RollbackLog log;

    UpdateRestore(ResourceApi api, Map<String, ResourceType> types, RollbackLog log) {
        this.api = api;
        this.types = types;
        this.log = log;
    }

    /** The updated objects the journal names, in the order first updated. */
    static Map<ObjectId, Updated> of(List<Journal.Record> records) {
        Map<ObjectId, Updated> out = new LinkedHashMap<>();
        for (Journal.Record r : records) {
            if (r.op() == Journal.Op.PREVIOUS && !out.containsKey(r.objectId())) {
                out.put(r.objectId(), new Updated(r.objectId(), r.resource(), r, null));
            } else if (r.op() == Journal.Op.UPDATE) {
                Updated u = out.get(r.objectId());
                out.put(r.objectId(), new Updated(r.objectId(), r.resource(), u == null ? null : u.previous(), r));
            }
        }
        return out;
    }

    /** Restores each object; returns those still holding what this run wrote (not restored, and not gone). */
    Set<Updated> restoreAll(Map<ObjectId, Updated> updated, Map<ObjectId, ObjectNode> memory) {
        Set<Updated> notRestored = new HashSet<>();
        for (Updated u : updated.values()) {
            if (!restore(u, memory.get(u.id()))) {
                notRestored.add(u);
            }
        }
        return notRestored;
    }

    /** True when the object holds its previous content again, or never got ours, or is gone. */
    private boolean restore(Updated u, ObjectNode inMemory) {
        ResourceType type = types.get(u.resource());
        if (log.skipUnreachable("restore " + u.id())) {
            return false;
        }
        if (type == null) {
            log.failed("cannot restore " + u.id() + ": unknown resource " + u.resource());
            return false;
        }
        if (u.update() == null) {
            return unconfirmed(u, type);
        }
        ObjectNode before = inMemory != null ? inMemory : u.previous() != null ? u.previous().previous() : null;
        if (before == null) {
            log.failed("cannot restore " + u.id() + ": " + (type.equals(ResourceType.SECRET)
                    ? "a Secret's previous content is never written to the journal (its values stay off disk), and the run that updated it ended: "
                            + "put it back from your own copy"
                    : "the journal holds no previous content for it (written by an older pivotctl)"));
            return false;
        }
        try {
            ObjectNode restored = api.update(type, guardedBody(before, type, u.update()));
            if (inMemory != null && type.statusSubresource() && inMemory.has("status")) {
                // the run that updated it still holds its status too (the journal keeps none): written over the restore just made
                ObjectNode withStatus = restored.deepCopy();
                withStatus.set("status", inMemory.get("status"));
                api.updateStatus(type, withStatus);
            }
            log.undone("restored " + u.id());
            return true;
        } catch (RuntimeException e) {
            if (!ApiErrors.isConflict(e) && ApiErrors.code(e) != 422 && !ApiErrors.isNotFound(e)) {
                log.failed(e, "restore", u.id().toString());
                return false;
            }
            return refused(u, type);
        }
    }

    /** The previous content, to be written only over the object as this run left it (its UID and resourceVersion). */
    private static ObjectNode guardedBody(ObjectNode before, ResourceType type, Journal.Record update) {
        ObjectNode body = before.deepCopy();
        ObjectPreparer.SERVER_FIELDS.forEach(body.with("metadata")::remove);
        if (type.statusSubresource()) {
            body.remove("status");
        }
        body.with("metadata").put("uid", update.newUid());
        body.with("metadata").put("resourceVersion", update.resourceVersion());
        return body;
    }

    /** The server refused the guarded write: gone (fine), or replaced or changed since (left alone). */
    private boolean refused(Updated u, ResourceType type) {
        Optional<ObjectNode> now = read(u, type);
        if (now == null) {
            return false;
        }
        if (now.isEmpty()) {
            log.leftAlone(u.id() + " (updated by this import, but deleted since)");
            return true;
        }
        log.leftAlone(u.id() + " (updated by this import, but " + (ImportRun.uidOf(now.get()).equals(u.uid()) ? "changed since" : "replaced by another object")
                + ": left as it is, not restored)");
        return !ImportRun.uidOf(now.get()).equals(u.uid());
    }

    /** An update sent but never confirmed: unchanged since the previous content was read means it never landed. */
    private boolean unconfirmed(Updated u, ResourceType type) {
        Optional<ObjectNode> now = read(u, type);
        if (now == null) {
            return false;
        }
        if (now.isEmpty() || !ImportRun.uidOf(now.get()).equals(u.uid())) {
            log.leftAlone(u.id() + " (an update of it was sent but not confirmed, and it is " + (now.isEmpty() ? "gone" : "another object") + " now)");
            return true;
        }
        if (u.previous().resourceVersion().equals(now.get().path("metadata").path("resourceVersion").asText())) {
            log.undone(u.id() + " unchanged (its update never reached the server)");
            return true;
        }
        log.leftAlone(u.id() + " (an update of it was sent but not confirmed, and it changed since: left as it is, not restored)");
        return false;
    }

    /** The object now (empty: gone); null when it could not be read (reported). */
    private Optional<ObjectNode> read(Updated u, ResourceType type) {
        try {
            return api.get(type, u.id().namespace(), u.id().name());
        } catch (RuntimeException e) {
            log.failed(e, "read", u.id().toString());
            return null;
        }
    }

    /**
     * The UIDs of this run's creates that must stay: the owners that objects not restored still name, and their owners in
     * turn. Null when one of those could not be read: then no create of this run may be deleted.
     */
    Set<String> ownersToKeep(Set<Updated> notRestored, List<Journal.Record> creates) {
        Map<String, Journal.Record> createdByUid = new HashMap<>();
        creates.stream().filter(r -> r.newUid() != null).forEach(r -> createdByUid.put(r.newUid(), r));
        Set<String> keep = new HashSet<>();
        Deque<String> toVisit = new ArrayDeque<>();
        for (Updated u : notRestored) {
            if (!ownersOf(types.get(u.resource()), u.id(), u.uid(), toVisit)) {
                return null;
            }
        }
        while (!toVisit.isEmpty()) {
            String uid = toVisit.pop();
            Journal.Record created = createdByUid.get(uid);
            if (keep.add(uid) && created != null && !ownersOf(types.get(created.resource()), created.objectId(), uid, toVisit)) {
                return null;
            }
        }
        return keep;
    }

    /** Adds the owner UIDs of the object (when it is still the one with {@code uid}); false when it could not be read. */
    private boolean ownersOf(ResourceType type, ObjectId id, String uid, Deque<String> into) {
        if (type == null) {
            return false;
        }
        try {
            api.get(type, id.namespace(), id.name()).filter(o -> ImportRun.uidOf(o).equals(uid)).ifPresent(o -> {
                for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
                    into.push(ref.path("uid").asText());
                }
            });
            return true;
        } catch (RuntimeException e) {
            log.failed(e, "read", id.toString());
            return false;
        }
    }
}

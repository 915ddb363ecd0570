package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Undoes what the journal says this import did. Updated objects get their previous content back first
 * ({@link UpdateRestore}); created objects are deleted, dependents before owners (highest level first), after removing
 * the finalizers they brought along so deletes complete without their controllers, each with
 * {@code propagationPolicy: Orphan} (a dependent made since by someone else keeps living), and the rollback waits
 * until the garbage collector has let them go ({@link DeletionWait}); created namespaces and CRDs go last
 * ({@link CrdRemoval}). Every finalizer patch and delete carries the UID this run recorded: an object of the same name
 * that is not the one this run created (someone recreated it since) is reported and left alone. A create that an updated
 * object which could not be restored still names as owner stays, or the garbage collector would take that object. A
 * namespace is deleted only when every resource type in it could be listed and nothing but this run's objects is in it.
 */
final class Rollback {

    /** What was undone, what could not be, and what was left alone because it is not this run's. */
    record Report(List<String> undone, List<String> failures, List<String> leftAlone) {
        /** One line per change: undone, left alone, then what could not be undone. */
        List<String> details() {
            List<String> out = new ArrayList<>(undone);
            leftAlone.forEach(f -> out.add("left alone: " + f));
            failures.forEach(f -> out.add("NOT rolled back: " + f));
            return out;
        }
    }

    /**
     * Which objects in a namespace are not this run's (each named), to decide whether the namespace may go; a resource
     * type that could not be listed is named too ("secrets (could not be listed: ...)"): what is unseen may be someone's.
     */
    interface NamespaceContents {
        List<String> othersIn(String namespace, String runId);
    }

    /**
     * Where to look for objects the run created without hearing back (the label {@link PivotctlMarks#IMPORT_RUN} = runId):
     * the archived namespaces. Null runId: nothing to sweep.
     */
    record Sweep(String runId, Set<String> namespaces) {
        static final Sweep NONE = new Sweep(null, Set.of());
    }

    private final ResourceApi api;
    private final Map<String, ResourceType> typesByResource;
    private final NamespaceContents namespaces;
    private final RollbackLog log;
    /** This run's creates that must stay (an object not restored names them as owners); null: none may be deleted. */
    private Set<String> keep = Set.of();
    /** Orphaning deletes not yet seen completed. */
    private final List<DeletionWait.Deleted> deleted = new ArrayList<>();
    private final java.time.Duration waitTimeout;

    Rollback(ResourceApi api, Map<String, ResourceType> typesByResource, NamespaceContents namespaces) {
        this(api, typesByResource, namespaces, DeletionWait.TIMEOUT);
    }

    Rollback(ResourceApi api, Map<String, ResourceType> typesByResource, NamespaceContents namespaces, java.time.Duration waitTimeout) {
        this.api = api;
        this.waitTimeout = waitTimeout;
        this.namespaces = namespaces;
        this.log = new RollbackLog(api);
        this.typesByResource = new HashMap<>(typesByResource);
        for (ResourceType t : List.of(ResourceType.NAMESPACE, ResourceType.SECRET, ResourceType.CONFIG_MAP, ResourceType.CRD)) {
            this.typesByResource.put(t.qualifiedResource(), t);
        }
    }

    /** @param previous what the run that updated objects kept in memory of them (empty once it ended: the journal's is used) */
    Report run(List<Journal.Record> records, Map<ObjectId, ObjectNode> previous, Sweep sweep) {
        List<Journal.Record> creates = new ArrayList<>();
        List<Journal.Record> last = new ArrayList<>();
        Set<ObjectId> handled = new HashSet<>();
        for (int i = records.size() - 1; i >= 0; i--) {
            Journal.Record r = records.get(i);
            switch (r.op()) {
                case CREATE -> {
                    if (handled.add(r.objectId())) {
                        creates.add(r);
                    }
                }
                case NAMESPACE, CRD -> last.add(r);
                default -> {
                    // updates are restored first, below; status writes and markers go with their object
                }
            }
        }
        restoreUpdates(records, previous, creates);
        if (sweep.runId() != null) {
            sweepUnconfirmed(sweep, handled); // the newest creates: nothing of this run depends on them
        }
        // dependents before owners: a higher level owns nothing of a lower one; in a level, newest first
        creates.stream().sorted(Comparator.comparingInt((Journal.Record r) -> r.level() == null ? -1 : r.level()).reversed())
                .forEach(r -> delete(typesByResource.get(r.resource()), r.resource(), r.objectId(), r.newUid()));
        awaitDeletes();
        if (sweep.runId() != null) {
            last.addAll(unconfirmedNamespaces(sweep, last));
        }
        last.stream().filter(r -> r.op() == Journal.Op.NAMESPACE).forEach(r -> deleteNamespace(r, sweep.runId()));
        CrdRemoval crds = new CrdRemoval(api, log);
        last.stream().filter(r -> r.op() == Journal.Op.CRD).forEach(r -> crds.remove(r, sweep.runId()));
        return log.report();
    }

    /**
     * Waits for the orphaning deletes to complete (the garbage collector's part), so that what this rollback reports
     * as deleted is gone and the namespaces it created can be judged empty.
     */
    private void awaitDeletes() {
        if (deleted.isEmpty() || log.skipUnreachable("wait for " + deleted.size() + " deleted object(s) to be gone")) {
            return;
        }
        DeletionWait wait = new DeletionWait(api, waitTimeout);
        for (DeletionWait.Deleted d : wait.await(deleted)) {
            String unlisted = wait.unconfirmed(d);
            log.failed(unlisted != null ? d.id() + " was deleted, but could not be seen gone: " + unlisted
                    : d.id() + " is still Terminating after " + waitTimeout.toSeconds() + " s: it was deleted with propagationPolicy Orphan "
                    + "and waits for the garbage collector to take its ownerReference off its dependents (is kube-controller-manager running on the target?)");
        }
        deleted.clear();
    }

    /** Puts back what the run updated; what could not be restored keeps the creates it names as owners. */
    private void restoreUpdates(List<Journal.Record> records, Map<ObjectId, ObjectNode> previous, List<Journal.Record> creates) {
        Map<ObjectId, UpdateRestore.Updated> updated = UpdateRestore.of(records);
        if (updated.isEmpty()) {
            return;
        }
        UpdateRestore restore = new UpdateRestore(api, typesByResource, log);
        Set<UpdateRestore.Updated> notRestored = restore.restoreAll(updated, previous);
        keep = notRestored.isEmpty() ? Set.of() : restore.ownersToKeep(notRestored, creates);
    }

    /** Objects this run created whose create the server stored but never confirmed, so the journal lacks them. */
    private void sweepUnconfirmed(Sweep sweep, Set<ObjectId> handled) {
        String selector = RunLabel.selector(sweep.runId());
        for (ResourceType type : new TreeMap<>(typesByResource).values()) {
            if (type.equals(ResourceType.CRD) || type.equals(ResourceType.NAMESPACE)) {
                continue;
            }
            for (String ns : type.namespaced() ? sweep.namespaces() : Set.of("")) {
                if (log.skipUnreachable("look for " + type.qualifiedResource() + " labelled " + selector)) {
                    continue;
                }
                List<ObjectNode> found;
                try {
                    found = api.list(type, type.namespaced() ? ns : null, selector).items();
                } catch (RuntimeException e) {
                    log.failed(e, "list", type.qualifiedResource() + " labelled " + selector);
                    continue;
                }
                for (ObjectNode o : found) {
                    ObjectId id = ObjectId.of(o);
                    if (handled.add(id)) {
                        delete(type, type.qualifiedResource(), id, ImportRun.uidOf(o));
                    }
                }
            }
        }
    }

    /** Namespaces the run created without hearing back, as journal-like records for the last phase. */
    private List<Journal.Record> unconfirmedNamespaces(Sweep sweep, List<Journal.Record> journaled) {
        Set<String> known = new HashSet<>();
        journaled.stream().filter(r -> r.op() == Journal.Op.NAMESPACE).forEach(r -> known.add(r.id()));
        List<Journal.Record> out = new ArrayList<>();
        if (log.skipUnreachable("look for namespaces labelled " + RunLabel.selector(sweep.runId()))) {
            return out;
        }
        try {
            for (ObjectNode ns : api.list(ResourceType.NAMESPACE, null, RunLabel.selector(sweep.runId())).items()) {
                String name = ns.path("metadata").path("name").asText();
                if (known.add(name)) {
                    out.add(new Journal.Record(Journal.Op.NAMESPACE, name, ResourceType.NAMESPACE.qualifiedResource(), null, ImportRun.uidOf(ns), -1));
                }
            }
        } catch (RuntimeException e) {
            log.failed(e, "list", "namespaces labelled " + PivotctlMarks.IMPORT_RUN);
        }
        return out;
    }

    private void deleteNamespace(Journal.Record r, String runId) {
        ObjectId id = new ObjectId("", "Namespace", "", r.id());
        if (log.skipUnreachable("delete " + id)) {
            return;
        }
        List<String> others;
        try {
            others = namespaces.othersIn(r.id(), runId);
        } catch (RuntimeException e) {
            log.failed(e, "list", "what namespace " + r.id() + " holds");
            return;
        }
        if (!others.isEmpty()) {
            log.leftAlone("namespace " + r.id() + " (created by this import, but it now also holds " + firstFew(others) + ")");
            return;
        }
        delete(ResourceType.NAMESPACE, r.resource(), id, r.newUid());
    }

    /**
     * A created namespace goes with the default propagation: it is deleted only when it holds nothing but this run's
     * objects. Anything else orphans its dependents: one made since by a controller or a person (never journaled) is
     * not this run's to take, and this run's own dependents were deleted before their owners anyway.
     */
    private ResourceApi.Guarded deleteOne(ResourceType type, ObjectId id, String uid) {
        if (type.equals(ResourceType.NAMESPACE)) {
            return api.delete(type, id.namespace(), id.name(), uid);
        }
        ResourceApi.Guarded result = api.deleteOrphaning(type, id.namespace(), id.name(), uid);
        if (result == ResourceApi.Guarded.DONE) {
            deleted.add(new DeletionWait.Deleted(type, id, uid));
        }
        return result;
    }

    /** The first three, and how many more. */
    static String firstFew(List<String> all) {
        return String.join(", ", all.subList(0, Math.min(3, all.size()))) + (all.size() > 3 ? " and " + (all.size() - 3) + " more" : "");
    }

    private void delete(ResourceType type, String resource, ObjectId id, String uid) {
        if (log.skipUnreachable("delete " + id)) {
            return;
        }
        if (type == null) {
            log.failed("cannot delete " + id + ": unknown resource " + resource);
            return;
        }
        if (uid == null || uid.isEmpty()) {
            log.failed(id + ": the journal holds no UID for it (written by an older pivotctl): check it and delete it by hand if it is this import's");
            return;
        }
        if (keep == null || keep.contains(uid)) {
            log.leftAlone(id + " (created by this import, but kept: an object this import updated and could not restore "
                    + (keep == null ? "could not be read, so it may still name it" : "still names it") + " as owner, and the garbage collector would take that object)");
            return;
        }
        try {
            // each call retries transient failures itself
            ResourceApi.Guarded patched = api.clearFinalizers(type, id.namespace(), id.name(), uid);
            ResourceApi.Guarded result = patched == ResourceApi.Guarded.DONE ? deleteOne(type, id, uid) : patched;
            switch (result) {
                case DONE -> log.undone("deleted " + id);
                case GONE -> log.undone("deleted " + id + " (already gone)");
                case OTHER_UID -> log.leftAlone(id + " (an object of that name exists, but not the one this import created: UID differs)");
            }
        } catch (RuntimeException e) {
            log.failed(e, "delete", id.toString());
        }
    }
}

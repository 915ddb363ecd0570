package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
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
 * Undoes what the journal says this import did. Updated objects get their previous content back; created
 * objects are deleted, dependents before owners (highest level first), after removing the finalizers they
 * brought along so deletes complete without their controllers; created namespaces and CRDs go last.
 * Every finalizer patch and delete carries the UID this run recorded: an object of the same name that is not
 * the one this run created (someone recreated it since) is reported and left alone. A namespace is deleted only
 * when nothing but this run's objects is in it.
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

    /** Which objects in a namespace are not this run's (each named), to decide whether the namespace may go. */
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
    private final List<String> undone = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> leftAlone = new ArrayList<>();
    /** Set once the server stops answering: the remaining changes are listed, not tried one by one for minutes. */
    private boolean unreachable;

    Rollback(ResourceApi api, Map<String, ResourceType> typesByResource, NamespaceContents namespaces) {
        this.api = api;
        this.namespaces = namespaces;
        this.typesByResource = new HashMap<>(typesByResource);
        for (ResourceType t : List.of(ResourceType.NAMESPACE, ResourceType.SECRET, ResourceType.CONFIG_MAP, ResourceType.CRD)) {
            this.typesByResource.put(t.qualifiedResource(), t);
        }
    }

    Report run(List<Journal.Record> records, Map<ObjectId, ObjectNode> previous, Sweep sweep) {
        List<Journal.Record> creates = new ArrayList<>();
        List<Journal.Record> last = new ArrayList<>();
        Set<ObjectId> handled = new HashSet<>();
        for (int i = records.size() - 1; i >= 0; i--) {
            Journal.Record r = records.get(i);
            switch (r.op()) {
                case UPDATE -> {
                    if (handled.add(r.objectId())) {
                        restore(r, previous);
                    }
                }
                case CREATE -> {
                    if (handled.add(r.objectId())) {
                        creates.add(r);
                    }
                }
                case NAMESPACE, CRD -> last.add(r);
                default -> {
                    // status writes and markers go with their object
                }
            }
        }
        if (sweep.runId() != null) {
            sweepUnconfirmed(sweep, handled); // the newest creates: nothing of this run depends on them
        }
        // dependents before owners: a higher level owns nothing of a lower one; in a level, newest first
        creates.stream().sorted(Comparator.comparingInt((Journal.Record r) -> r.level() == null ? -1 : r.level()).reversed())
                .forEach(r -> delete(typesByResource.get(r.resource()), r.resource(), r.objectId(), r.newUid()));
        if (sweep.runId() != null) {
            last.addAll(unconfirmedNamespaces(sweep, last));
        }
        last.stream().filter(r -> r.op() == Journal.Op.NAMESPACE).forEach(r -> deleteNamespace(r, sweep.runId()));
        last.stream().filter(r -> r.op() == Journal.Op.CRD)
                .forEach(r -> delete(ResourceType.CRD, r.resource(), new ObjectId(ResourceType.CRD.group(), ResourceType.CRD.kind(), "", r.id()), r.newUid()));
        return new Report(List.copyOf(undone), List.copyOf(failures), List.copyOf(leftAlone));
    }

    /** Objects this run created whose create the server stored but never confirmed, so the journal lacks them. */
    private void sweepUnconfirmed(Sweep sweep, Set<ObjectId> handled) {
        String selector = RunLabel.selector(sweep.runId());
        for (ResourceType type : new TreeMap<>(typesByResource).values()) {
            if (type.equals(ResourceType.CRD) || type.equals(ResourceType.NAMESPACE)) {
                continue;
            }
            for (String ns : type.namespaced() ? sweep.namespaces() : Set.of("")) {
                if (unreachable) {
                    failures.add("not attempted (API server unreachable): look for " + type.qualifiedResource() + " labelled " + selector);
                    continue;
                }
                List<ObjectNode> found;
                try {
                    found = api.list(type, type.namespaced() ? ns : null, selector).items();
                } catch (RuntimeException e) {
                    unreachable |= ApiErrors.isUnreachable(e);
                    failures.add(ApiErrors.describe(e, "list", type.qualifiedResource() + " labelled " + selector, api.server()).getMessage());
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
        if (unreachable) {
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
            unreachable |= ApiErrors.isUnreachable(e);
            failures.add(ApiErrors.describe(e, "list", "namespaces labelled " + PivotctlMarks.IMPORT_RUN, api.server()).getMessage());
        }
        return out;
    }

    private void deleteNamespace(Journal.Record r, String runId) {
        ObjectId id = new ObjectId("", "Namespace", "", r.id());
        if (unreachable) {
            failures.add("not attempted (API server unreachable): delete " + id);
            return;
        }
        List<String> others;
        try {
            others = namespaces.othersIn(r.id(), runId);
        } catch (RuntimeException e) {
            unreachable |= ApiErrors.isUnreachable(e);
            failures.add(ApiErrors.describe(e, "list", "what namespace " + r.id() + " holds", api.server()).getMessage());
            return;
        }
        if (!others.isEmpty()) {
            leftAlone.add("namespace " + r.id() + " (created by this import, but it now also holds "
                    + String.join(", ", others.subList(0, Math.min(3, others.size()))) + (others.size() > 3 ? " and " + (others.size() - 3) + " more" : "") + ")");
            return;
        }
        delete(ResourceType.NAMESPACE, r.resource(), id, r.newUid());
    }

    private void delete(ResourceType type, String resource, ObjectId id, String uid) {
        if (unreachable) {
            failures.add("not attempted (API server unreachable): delete " + id);
            return;
        }
        if (type == null) {
            failures.add("cannot delete " + id + ": unknown resource " + resource);
            return;
        }
        if (uid == null || uid.isEmpty()) {
            failures.add(id + ": the journal holds no UID for it (written by an older pivotctl): check it and delete it by hand if it is this import's");
            return;
        }
        try {
            // each call retries transient failures itself
            ResourceApi.Guarded patched = api.clearFinalizers(type, id.namespace(), id.name(), uid);
            ResourceApi.Guarded deleted = patched == ResourceApi.Guarded.DONE ? api.delete(type, id.namespace(), id.name(), uid) : patched;
            switch (deleted) {
                case DONE -> undone.add("deleted " + id);
                case GONE -> undone.add("deleted " + id + " (already gone)");
                case OTHER_UID -> leftAlone.add(id + " (an object of that name exists, but not the one this import created: UID differs)");
            }
        } catch (RuntimeException e) {
            unreachable |= ApiErrors.isUnreachable(e);
            failures.add(ApiErrors.describe(e, "delete", id.toString(), api.server()).getMessage());
        }
    }

    private void restore(Journal.Record r, Map<ObjectId, ObjectNode> previous) {
        ObjectId id = r.objectId();
        if (unreachable) {
            failures.add("not attempted (API server unreachable): restore " + id);
            return;
        }
        ResourceType type = typesByResource.get(r.resource());
        ObjectNode before = previous.get(id);
        if (before == null || type == null) {
            failures.add("cannot restore " + id + ": its previous content was not kept (the import process ended)");
            return;
        }
        try {
            ObjectNode current = api.get(type, id.namespace(), id.name()).orElse(null);
            if (current == null || !ImportRun.uidOf(current).equals(ImportRun.uidOf(before))) {
                leftAlone.add(id + " (updated by this import, but " + (current == null ? "deleted" : "replaced by another object") + " since)");
                return;
            }
            ObjectNode body = before.deepCopy();
            // resourceVersion and UID both make the server refuse to write over anything but the object we updated
            body.with("metadata").put("resourceVersion", current.path("metadata").path("resourceVersion").asText());
            ObjectNode restored = api.update(type, body);
            if (type.statusSubresource() && before.has("status")) {
                ObjectNode s = restored.deepCopy();
                s.set("status", before.get("status"));
                api.updateStatus(type, s);
            }
            undone.add("restored " + id);
        } catch (RuntimeException e) {
            unreachable |= ApiErrors.isUnreachable(e);
            failures.add(ApiErrors.describe(e, "restore", id.toString(), api.server()).getMessage());
        }
    }
}

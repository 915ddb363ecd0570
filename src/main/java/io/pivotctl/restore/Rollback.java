package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Undoes what the journal says this import did, newest first: created objects are deleted (dependents
 * before owners) after removing the finalizers they brought along, so deletes complete without their
 * controllers; updated objects get their previous content back; created namespaces and CRDs go last.
 */
final class Rollback {

    /** What was undone and what could not be. */
    record Report(List<String> undone, List<String> failures) {
        /** One line per change, undone first, then what could not be undone. */
        List<String> details() {
            List<String> out = new ArrayList<>(undone);
            failures.forEach(f -> out.add("NOT rolled back: " + f));
            return out;
        }
    }

    private final ResourceClient client;
    private final Map<String, ResourceType> typesByResource;
    /** Set once the server stops answering: the remaining changes are listed, not tried one by one for minutes. */
    private boolean unreachable;

    Rollback(ResourceClient client, Map<String, ResourceType> typesByResource) {
        this.client = client;
        this.typesByResource = new HashMap<>(typesByResource);
        this.typesByResource.put(ResourceType.NAMESPACE.qualifiedResource(), ResourceType.NAMESPACE);
        this.typesByResource.put(ResourceType.SECRET.qualifiedResource(), ResourceType.SECRET);
        this.typesByResource.put(ResourceType.CONFIG_MAP.qualifiedResource(), ResourceType.CONFIG_MAP);
        this.typesByResource.put(CRD.qualifiedResource(), CRD);
    }

    static final ResourceType CRD = new ResourceType("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, true);

    /**
     * Where to look for objects the run created without hearing back (the label {@link Markers#IMPORT_RUN} = runId):
     * the archived namespaces. Null runId: nothing to sweep.
     */
    record Sweep(String runId, Set<String> namespaces) {
        static final Sweep NONE = new Sweep(null, Set.of());
    }

    Report run(List<Journal.Record> records, Map<ObjectId, ObjectNode> previous, Sweep sweep) {
        List<String> undone = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Set<ObjectId> handled = new HashSet<>();
        List<Journal.Record> reversed = new ArrayList<>(records);
        Collections.reverse(reversed);
        List<Journal.Record> last = new ArrayList<>();
        for (Journal.Record r : reversed) {
            if (unreachable && isChange(r)) {
                failures.add("not attempted (API server unreachable): " + describe(r));
                continue;
            }
            switch (r.op()) {
                case "create" -> {
                    ObjectId id = EntryPaths.parseId(r.id());
                    if (handled.add(id)) {
                        delete(typesByResource.get(r.resource()), r.resource(), id, undone, failures);
                    }
                }
                case "update" -> {
                    handled.add(EntryPaths.parseId(r.id()));
                    restore(r, previous, undone, failures);
                }
                case "namespace", "crd" -> last.add(r);
                default -> {
                    // status writes and markers go with their object
                }
            }
        }
        if (sweep.runId() != null && !unreachable) {
            sweepUnconfirmed(sweep, handled, undone, failures);
            last.addAll(unconfirmedNamespaces(sweep, last, failures));
        }
        for (Journal.Record r : last) {
            if (unreachable) {
                failures.add("not attempted (API server unreachable): " + describe(r));
            } else if ("namespace".equals(r.op())) {
                delete(ResourceType.NAMESPACE, r.resource(), new ObjectId("", "Namespace", "", r.id()), undone, failures);
            } else {
                delete(CRD, r.resource(), new ObjectId(CRD.group(), CRD.kind(), "", r.id()), undone, failures);
            }
        }
        return new Report(undone, failures);
    }

    /** Objects this run created whose create the server stored but never confirmed, so the journal lacks them. */
    private void sweepUnconfirmed(Sweep sweep, Set<ObjectId> handled, List<String> undone, List<String> failures) {
        String selector = Markers.IMPORT_RUN + "=" + sweep.runId();
        for (ResourceType type : new TreeMap<>(typesByResource).values()) {
            if (type.equals(CRD) || type.equals(ResourceType.NAMESPACE)) {
                continue;
            }
            for (String ns : type.namespaced() ? sweep.namespaces() : Set.of("")) {
                List<ObjectNode> found;
                try {
                    found = client.list(type, type.namespaced() ? ns : null, selector).items();
                } catch (RuntimeException e) {
                    unreachable |= ApiErrors.isUnreachable(e);
                    failures.add(ApiErrors.describe(e, "list", type.qualifiedResource() + " labelled " + selector, client.connection().server()).getMessage());
                    continue;
                }
                for (ObjectNode o : found) {
                    ObjectId id = ObjectId.of(o);
                    if (handled.add(id)) {
                        delete(type, type.qualifiedResource(), id, undone, failures);
                    }
                }
            }
        }
    }

    /** Namespaces the run created without hearing back, as journal-like records for the last phase. */
    private List<Journal.Record> unconfirmedNamespaces(Sweep sweep, List<Journal.Record> journaled, List<String> failures) {
        Set<String> known = new HashSet<>();
        journaled.stream().filter(r -> "namespace".equals(r.op())).forEach(r -> known.add(r.id()));
        List<Journal.Record> out = new ArrayList<>();
        try {
            for (ObjectNode ns : client.list(ResourceType.NAMESPACE, null, Markers.IMPORT_RUN + "=" + sweep.runId()).items()) {
                String name = ns.path("metadata").path("name").asText();
                if (known.add(name)) {
                    out.add(new Journal.Record("namespace", name, ResourceType.NAMESPACE.qualifiedResource(), null, null, -1, null));
                }
            }
        } catch (RuntimeException e) {
            unreachable |= ApiErrors.isUnreachable(e);
            failures.add(ApiErrors.describe(e, "list", "namespaces labelled " + Markers.IMPORT_RUN, client.connection().server()).getMessage());
        }
        return out;
    }

    private static boolean isChange(Journal.Record r) {
        return "create".equals(r.op()) || "update".equals(r.op());
    }

    private static String describe(Journal.Record r) {
        return r.op() + " " + r.id();
    }

    private void delete(ResourceType type, String resource, ObjectId id, List<String> undone, List<String> failures) {
        if (type == null) {
            failures.add("cannot delete " + id + ": unknown resource " + resource);
            return;
        }
        try {
            // each call retries transient failures itself
            try {
                client.mergePatch(type, id.namespace(), id.name(), Json.MAPPER.valueToTree(Map.of("metadata", Map.of("finalizers", List.of()))));
            } catch (RuntimeException e) {
                if (!ApiErrors.isNotFound(e)) {
                    throw e;
                }
            }
            client.delete(type, id.namespace(), id.name());
            undone.add("deleted " + id);
        } catch (RuntimeException e) {
            if (ApiErrors.isNotFound(e)) {
                undone.add("deleted " + id + " (already gone)");
            } else {
                unreachable |= ApiErrors.isUnreachable(e);
                failures.add(ApiErrors.describe(e, "delete", id.toString(), client.connection().server()).getMessage());
            }
        }
    }

    private void restore(Journal.Record r, Map<ObjectId, ObjectNode> previous, List<String> undone, List<String> failures) {
        ObjectId id = EntryPaths.parseId(r.id());
        ResourceType type = typesByResource.get(r.resource());
        ObjectNode before = previous.get(id);
        if (before == null || type == null) {
            failures.add("cannot restore " + id + ": its previous content was not kept (the import process ended)");
            return;
        }
        try {
            ObjectNode current = client.get(type, id.namespace(), id.name()).orElseThrow();
            ObjectNode body = before.deepCopy();
            body.with("metadata").put("resourceVersion", current.path("metadata").path("resourceVersion").asText());
            ObjectNode restored = client.update(type, body);
            if (type.statusSubresource() && before.has("status")) {
                ObjectNode s = restored.deepCopy();
                s.set("status", before.get("status"));
                client.updateStatus(type, s);
            }
            undone.add("restored " + id);
        } catch (RuntimeException e) {
            unreachable |= ApiErrors.isUnreachable(e);
            failures.add(ApiErrors.describe(e, "restore", id.toString(), client.connection().server()).getMessage());
        }
    }
}

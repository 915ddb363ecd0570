package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.kube.Retry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Undoes what the journal says this import did, newest first: created objects are deleted (dependents
 * before owners) after removing the finalizers they brought along, so deletes complete without their
 * controllers; updated objects get their previous content back; created namespaces and CRDs go last.
 */
final class Rollback {

    /** What was undone and what could not be. */
    record Report(List<String> undone, List<String> failures) {
    }

    private final ResourceClient client;
    private final Map<String, ResourceType> typesByResource;

    Rollback(ResourceClient client, Map<String, ResourceType> typesByResource) {
        this.client = client;
        this.typesByResource = new HashMap<>(typesByResource);
        this.typesByResource.put(ResourceType.NAMESPACE.qualifiedResource(), ResourceType.NAMESPACE);
        this.typesByResource.put(ResourceType.SECRET.qualifiedResource(), ResourceType.SECRET);
        this.typesByResource.put(ResourceType.CONFIG_MAP.qualifiedResource(), ResourceType.CONFIG_MAP);
        this.typesByResource.put(CRD.qualifiedResource(), CRD);
    }

    static final ResourceType CRD = new ResourceType("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, true);

    Report run(List<Journal.Record> records, Map<ObjectId, ObjectNode> previous) {
        List<String> undone = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<Journal.Record> reversed = new ArrayList<>(records);
        Collections.reverse(reversed);
        List<Journal.Record> last = new ArrayList<>();
        for (Journal.Record r : reversed) {
            switch (r.op()) {
                case "create" -> delete(r, undone, failures);
                case "update" -> restore(r, previous, undone, failures);
                case "namespace", "crd" -> last.add(r);
                default -> {
                    // status writes and markers go with their object
                }
            }
        }
        for (Journal.Record r : last) {
            delete(r, undone, failures);
        }
        return new Report(undone, failures);
    }

    private void delete(Journal.Record r, List<String> undone, List<String> failures) {
        ResourceType type = typesByResource.get(r.resource());
        ObjectId id = "namespace".equals(r.op()) ? new ObjectId("", "Namespace", "", r.id())
                : "crd".equals(r.op()) ? new ObjectId(CRD.group(), CRD.kind(), "", r.id()) : EntryPaths.parseId(r.id());
        if (type == null) {
            failures.add("cannot delete " + id + ": unknown resource " + r.resource());
            return;
        }
        try {
            Retry.DEFAULT.run(() -> {
                try {
                    client.mergePatch(type, id.namespace(), id.name(), Json.MAPPER.valueToTree(Map.of("metadata", Map.of("finalizers", List.of()))));
                } catch (RuntimeException e) {
                    if (!ApiErrors.isNotFound(e)) {
                        throw e;
                    }
                }
                client.delete(type, id.namespace(), id.name());
            });
            undone.add("deleted " + id);
        } catch (RuntimeException e) {
            if (ApiErrors.isNotFound(e)) {
                undone.add("deleted " + id + " (already gone)");
            } else {
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
            failures.add(ApiErrors.describe(e, "restore", id.toString(), client.connection().server()).getMessage());
        }
    }
}

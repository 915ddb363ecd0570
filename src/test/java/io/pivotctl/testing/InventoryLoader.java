package io.pivotctl.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.graph.ObjectGraph;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.kube.KubeTarget;
import io.pivotctl.kube.Parallel;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test and demo code (not a pivotctl command): loads an inventory whose ownerReferences name owners
 * without uid into a cluster, owners first, fills in the owners' real uids, and writes each object's
 * status through /status. Returns the number of objects per kind.
 */
public final class InventoryLoader {

    private InventoryLoader() {
    }

    public static Map<String, Integer> load(Path kubeconfig, List<ObjectNode> inventory, int concurrency) {
        try (ClusterConnection conn = KubeConnector.connect(new KubeTarget(kubeconfig, null, concurrency, 0))) {
            return load(conn, inventory);
        }
    }

    /**
     * The client retries a create whose answer timed out; under load the first attempt may have landed, and the retry
     * then hears "already exists". The server is the loader's alone, so the object there is the one it created.
     */
    private static ObjectNode createOrFind(ResourceClient client, ResourceType type, ObjectNode o) {
        try {
            return client.create(type, o, false);
        } catch (RuntimeException e) {
            if (!io.pivotctl.kube.ApiErrors.isConflict(e)) {
                throw e;
            }
            String ns = o.path("metadata").path("namespace").asText(null);
            return client.get(type, ns, o.path("metadata").path("name").asText()).orElseThrow(() -> e);
        }
    }

    public static Map<String, Integer> load(ClusterConnection conn, List<ObjectNode> inventory) {
        ResourceClient client = new ResourceClient(conn);
        Discovery discovery = new Discovery(conn);
        Map<String, Optional<ResourceType>> types = new ConcurrentHashMap<>();
        inventory.stream().map(o -> o.path("metadata").path("namespace").asText()).filter(ns -> !ns.isEmpty()).distinct().forEach(ns -> {
            if (client.get(ResourceType.NAMESPACE, null, ns).isEmpty()) {
                client.create(ResourceType.NAMESPACE, (ObjectNode) Json.MAPPER.valueToTree(Map.of("apiVersion", "v1", "kind", "Namespace",
                        "metadata", Map.of("name", ns))), false);
            }
        });
        ObjectGraph graph = ObjectGraph.of(inventory);
        Map<ObjectId, ObjectNode> byId = new HashMap<>();
        inventory.forEach(o -> byId.put(ObjectId.of(o), o));
        Map<ObjectId, String> uids = new ConcurrentHashMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (List<ObjectId> level : graph.levelOrder()) {
            Parallel.map(level, conn.concurrency(), id -> {
                ObjectNode o = byId.get(id).deepCopy();
                String apiVersion = o.path("apiVersion").asText();
                String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
                ResourceType type = types.computeIfAbsent(id.group() + "/" + version + "/" + id.kind(),
                        k -> discovery.find(id.group(), version, id.kind()))
                        .orElseThrow(() -> new IllegalStateException(id.kind() + " " + apiVersion + " is not served: install the CRDs first"));
                JsonNode status = o.remove("status");
                for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
                    ObjectId owner = new ObjectId(ObjectId.groupOf(ref.path("apiVersion").asText()), ref.path("kind").asText(), id.namespace(),
                            ref.path("name").asText());
                    ((ObjectNode) ref).put("uid", uids.get(owner));
                }
                ObjectNode created = createOrFind(client, type, o);
                uids.put(id, created.path("metadata").path("uid").asText());
                if (status != null && type.statusSubresource()) {
                    created.set("status", status);
                    client.updateStatus(type, created);
                }
                synchronized (counts) {
                    counts.merge(id.qualifiedKind(), 1, Integer::sum);
                }
                return null;
            });
        }
        return counts;
    }
}

package io.pivotctl.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.Edge;
import io.pivotctl.graph.EdgeType;
import io.pivotctl.graph.ObjectGraph;
import io.pivotctl.graph.ObjectId;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which objects go into the archive. Custom resources of the exported kinds are the core: all of
 * them, or with {@code --cluster} only what the graph reaches from those Clusters. A Secret or ConfigMap
 * joins when it belongs to an exported object: owned by it, referenced by it by name, labelled or named
 * for an exported Cluster, or (without --cluster) labelled {@code environment.metal3.io=baremetal}.
 */
final class ExportSelection {

    static final String BAREMETAL_LABEL = "environment.metal3.io";

    private ExportSelection() {
    }

    static Set<ObjectId> select(Inventory inventory, Collection<ObjectId> clusters) {
        ObjectGraph graph = ObjectGraph.of(inventory.all());
        Set<ObjectId> core = new HashSet<>();
        if (clusters.isEmpty()) {
            for (ObjectId id : inventory.objects().keySet()) {
                if (!isSecretOrConfigMap(id)) {
                    core.add(id);
                }
            }
        } else {
            for (ObjectId id : graph.selectClusters(clusters)) {
                if (!isSecretOrConfigMap(id)) {
                    core.add(id);
                }
            }
        }
        Set<ObjectId> selected = new HashSet<>(core);
        for (Edge e : graph.edges()) {
            boolean fromCandidate = isSecretOrConfigMap(e.from());
            boolean toCandidate = isSecretOrConfigMap(e.to());
            if (fromCandidate && core.contains(e.to())) {
                selected.add(e.from()); // owned by / labelled or named for an exported object
            } else if (toCandidate && core.contains(e.from()) && e.type() != EdgeType.LABEL) {
                selected.add(e.to()); // referenced by name from an exported object
            }
        }
        if (clusters.isEmpty()) {
            for (ObjectNode o : inventory.objects().values()) {
                ObjectId id = ObjectId.of(o);
                if (isSecretOrConfigMap(id) && "baremetal".equals(o.path("metadata").path("labels").path(BAREMETAL_LABEL).asText(null))) {
                    selected.add(id);
                }
            }
        }
        return selected;
    }

    static boolean isSecretOrConfigMap(ObjectId id) {
        return id.isSecret() || id.isConfigMap();
    }

    static List<ObjectNode> objectsOf(Inventory inventory, Set<ObjectId> ids) {
        return ids.stream().sorted().map(inventory.objects()::get).toList();
    }
}

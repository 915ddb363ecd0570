package io.pivotctl.export;

import io.pivotctl.graph.Edge;
import io.pivotctl.graph.ObjectGraph;
import io.pivotctl.graph.ObjectId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A topology Cluster may name a ClusterClass in another namespace ({@code spec.topology.classRef.namespace}, v1beta1
 * {@code spec.topology.classNamespace}). Without that class and its templates the archive cannot recreate the
 * Cluster anywhere the class does not already exist, so the class's namespace is read too, whatever namespaces were
 * selected, and the class with everything it depends on joins the inventory; the rest of that namespace does not.
 */
final class FollowedClasses {

    private FollowedClasses() {
    }

    /**
     * The inventory with the ClusterClasses (and their dependencies) that {@code clusters} (none: every listed Cluster)
     * name outside {@code namespaces}; {@code namespaces} null (all of them were read) or nothing named outside: as it is.
     *
     * @param read lists every exported type in the given namespaces
     */
    static Inventory follow(Inventory inventory, Collection<ObjectId> clusters, List<String> namespaces,
            Function<List<String>, Inventory> read) {
        Set<ObjectId> classes = outside(inventory, clusters, namespaces);
        if (classes.isEmpty()) {
            return inventory;
        }
        Set<String> classNamespaces = new TreeSet<>();
        classes.forEach(c -> classNamespaces.add(c.namespace()));
        Inventory other = read.apply(List.copyOf(classNamespaces));
        Set<ObjectId> closure = ObjectGraph.ofLinked(other.objects().values().stream().map(PackedObject::linked).toList())
                .dependencyClosure(classes);
        Map<ObjectId, PackedObject> objects = new TreeMap<>(inventory.objects());
        for (ObjectId id : closure) {
            if (!id.namespace().isEmpty()) {
                objects.putIfAbsent(id, other.objects().get(id));
            }
        }
        Map<String, String> listed = new TreeMap<>(inventory.listResourceVersions());
        listed.putAll(other.listResourceVersions());
        return new Inventory(objects, listed);
    }

    /** The ClusterClasses the given Clusters name in namespaces that were not read. */
    static Set<ObjectId> outside(Inventory inventory, Collection<ObjectId> clusters, List<String> namespaces) {
        Set<ObjectId> out = new TreeSet<>();
        if (namespaces == null) {
            return out;
        }
        for (ObjectId c : clusters.isEmpty() ? inventory.objects().keySet() : clusters) {
            PackedObject cluster = inventory.objects().get(c);
            if (!c.isCapiCluster() || cluster == null) {
                continue;
            }
            for (Edge e : cluster.linked().links()) {
                if (e.to().isClusterClass() && !namespaces.contains(e.to().namespace())) {
                    out.add(e.to());
                }
            }
        }
        return out;
    }
}

package io.pivotctl.validate;

import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.graph.ObjectId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A ClusterClass the archive holds, the Clusters that use it and the templates it names, read from the manifest's
 * graph. A class in another namespace than its Clusters is the one an operator most needs to see travelled.
 *
 * @param clusterClass "namespace/name"
 * @param usedBy the topology Clusters naming it, "namespace/name"
 * @param templates what the class references, "Kind namespace/name"
 */
public record ClassUse(String clusterClass, List<String> usedBy, List<String> templates) {

    public ClassUse {
        usedBy = List.copyOf(usedBy);
        templates = List.copyOf(templates);
    }

    /** Every archived ClusterClass, sorted by name; those no archived Cluster uses too. */
    public static List<ClassUse> of(Manifest m) {
        Map<ObjectId, Set<String>> usedBy = new TreeMap<>();
        Map<ObjectId, Set<String>> templates = new TreeMap<>();
        for (Manifest.Entry e : m.entries()) {
            ObjectId id = e.isObject() ? EntryPaths.idOf(e) : null;
            if (id != null && id.isClusterClass()) {
                usedBy.put(id, new TreeSet<>());
                templates.put(id, new TreeSet<>());
            }
        }
        for (Manifest.GraphEdge edge : m.graph().edges()) {
            ObjectId from = parsed(edge.from());
            ObjectId to = parsed(edge.to());
            if (from == null || to == null) {
                continue; // a damaged manifest: validate names it
            }
            if (from.isCapiCluster() && usedBy.containsKey(to)) {
                usedBy.get(to).add(from.namespace() + "/" + from.name());
            } else if (templates.containsKey(from)) {
                templates.get(from).add(to.kind() + " " + to.namespace() + "/" + to.name());
            }
        }
        List<ClassUse> out = new ArrayList<>();
        usedBy.forEach((c, users) -> out.add(new ClassUse(c.namespace() + "/" + c.name(), List.copyOf(users), List.copyOf(templates.get(c)))));
        return List.copyOf(out);
    }

    private static ObjectId parsed(String id) {
        try {
            return EntryPaths.parseId(id == null ? "" : id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package io.pivotctl.graph;

import io.pivotctl.PivotctlException;
import io.pivotctl.Printable;
import io.pivotctl.kube.NamespacedName;
import io.pivotctl.vocabulary.ClusterApi;
import io.pivotctl.vocabulary.Metal3;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which objects travel together, and why the others do not: the one selection {@code export} makes from a live
 * cluster and {@code import --cluster} / {@code verify --cluster} make again from an archive's graph.
 *
 * <ul>
 * <li>Namespaced custom resources are the core: all of them, or with {@code --cluster} what the graph reaches from
 * those Clusters without entering another Cluster.</li>
 * <li>Cluster-scoped objects travel when their CRD carries clusterctl's move labels or a selected object
 * references or is owned by them (a GlobalInClusterIPPool named by a Metal3DataTemplate).</li>
 * <li>Objects and kinds labelled {@code move} travel; {@code move-hierarchy} brings what they own too.</li>
 * <li>A Secret or ConfigMap joins when it belongs to a selected object: owned by it, referenced by it by
 * name (also nested, as kubeadm's {@code contentFrom.secret}), labelled or named for a selected Cluster,
 * labelled for move, or (without --cluster) labelled {@link Metal3#ENVIRONMENT} = {@link Metal3#ENVIRONMENT_BAREMETAL}.</li>
 * </ul>
 */
public final class Selection {

    public static final String OTHER_CLUSTER = "belongs to a Cluster that was not selected";
    public static final String NOT_REACHED = "not reached from the selected Clusters";
    public static final String GLOBAL_NOT_REFERENCED = "cluster-scoped, not referenced by an exported object and its CRD not labelled for move";
    public static final String NOT_REFERENCED = "not referenced by an exported object";

    /** A label of an object (only those selection reads need be known: move, move-hierarchy, environment); null when absent. */
    @FunctionalInterface
    public interface Labels {
        String of(ObjectId id, String key);
    }

    /**
     * What selection chooses from.
     *
     * @param objects every candidate with its links (objects being deleted already removed)
     * @param moveLabelledKinds the kinds whose CRD carries a clusterctl move label, "Kind.group" to label
     */
    public record Candidates(List<LinkedObject> objects, Labels labels, Map<String, String> moveLabelledKinds) {
        public Candidates {
            objects = List.copyOf(objects);
            moveLabelledKinds = Map.copyOf(moveLabelledKinds);
        }
    }

    /** What travels, and what does not with the reason. */
    public record Result(Set<ObjectId> selected, Map<ObjectId, String> excluded) {
    }

    private Selection() {
    }

    /**
     * The Clusters named "NAME" or "NAMESPACE/NAME" among {@code ids}; one not there, or a bare name found in several
     * namespaces, is a usage error naming {@code where} was looked.
     */
    public static List<ObjectId> clusters(List<String> names, Collection<ObjectId> ids, String where) {
        List<ObjectId> out = new ArrayList<>();
        for (String name : names) {
            NamespacedName qualified = name.contains("/") ? namespacedCluster(name) : null;
            String wantNs = qualified == null ? null : qualified.namespace();
            String wantName = qualified == null ? name : qualified.name();
            List<ObjectId> matches = ids.stream().filter(ObjectId::isCapiCluster)
                    .filter(id -> id.name().equals(wantName) && (wantNs == null || id.namespace().equals(wantNs))).toList();
            if (matches.isEmpty()) {
                throw PivotctlException.usage("cluster " + Printable.of(name) + " not found in " + where);
            }
            if (matches.size() > 1) {
                throw PivotctlException.usage("cluster name " + Printable.of(name) + " is ambiguous (" + matches + "): use --cluster NAMESPACE/NAME");
            }
            if (!out.contains(matches.get(0))) {
                out.add(matches.get(0));
            }
        }
        return out;
    }

    private static NamespacedName namespacedCluster(String text) {
        try {
            return NamespacedName.parse(text);
        } catch (IllegalArgumentException e) {
            throw PivotctlException.usage("--cluster " + e.getMessage());
        }
    }

    /** The selection for {@code clusters} (none: everything). */
    public static Result select(Candidates candidates, Collection<ObjectId> clusters) {
        ObjectGraph graph = ObjectGraph.ofLinked(candidates.objects());
        MoveLabels moveLabels = new MoveLabels(candidates.labels(), candidates.moveLabelledKinds());
        ClusterScope scope = new ClusterScope(ClusterAffinity.of(graph), new TreeSet<>(clusters));

        Set<ObjectId> core = new HashSet<>();
        Set<ObjectId> reached = clusters.isEmpty() ? graph.nodes() : graph.selectClusters(clusters);
        for (ObjectId id : graph.nodes()) {
            if (isSecretOrConfigMap(id)) {
                continue;
            }
            boolean global = id.namespace().isEmpty();
            if ((!global && reached.contains(id)) || (moveLabels.of(id) != null && scope.includes(id))) {
                core.add(id);
            }
        }
        addReferencedGlobals(graph, core);
        addHierarchies(graph, moveLabels, scope, core);

        Set<ObjectId> selected = new HashSet<>(core);
        for (Edge e : graph.edges()) {
            if (isSecretOrConfigMap(e.from()) && core.contains(e.to())) {
                selected.add(e.from()); // owned by / labelled or named for a selected object
            } else if (isSecretOrConfigMap(e.to()) && core.contains(e.from()) && e.type() != EdgeType.LABEL) {
                selected.add(e.to()); // referenced by name from a selected object
            }
        }
        for (ObjectId id : graph.nodes()) {
            if (!isSecretOrConfigMap(id) || selected.contains(id)) {
                continue;
            }
            boolean baremetal = scope.everything() && Metal3.ENVIRONMENT_BAREMETAL.equals(candidates.labels().of(id, Metal3.ENVIRONMENT));
            if ((moveLabels.of(id) != null && scope.includes(id)) || baremetal) {
                selected.add(id);
            }
        }
        Map<ObjectId, String> excluded = new LinkedHashMap<>();
        for (ObjectId id : graph.nodes()) {
            if (!selected.contains(id)) {
                excluded.put(id, reasonLeftOut(id, scope));
            }
        }
        return new Result(selected, excluded);
    }

    /** Cluster-scoped objects that a selected object references or is owned by must exist on the target too. */
    private static void addReferencedGlobals(ObjectGraph graph, Set<ObjectId> core) {
        for (Edge e : graph.edges()) {
            if (e.to().namespace().isEmpty() && !isSecretOrConfigMap(e.to()) && core.contains(e.from())
                    && (e.type() == EdgeType.REF || e.type() == EdgeType.OWNER)) {
                core.add(e.to());
            }
        }
    }

    /** move-hierarchy: the labelled object (or object of a labelled kind) brings everything it owns, transitively. */
    private static void addHierarchies(ObjectGraph graph, MoveLabels moveLabels, ClusterScope scope, Set<ObjectId> core) {
        Map<ObjectId, List<ObjectId>> owned = new HashMap<>();
        for (Edge e : graph.edges()) {
            if (e.type() == EdgeType.OWNER) {
                owned.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
            }
        }
        Deque<ObjectId> queue = new ArrayDeque<>();
        for (ObjectId id : core) {
            if (ClusterApi.MOVE_HIERARCHY.equals(moveLabels.of(id))) {
                queue.add(id);
            }
        }
        while (!queue.isEmpty()) {
            for (ObjectId child : owned.getOrDefault(queue.poll(), List.of())) {
                if (!isSecretOrConfigMap(child) && scope.includes(child) && core.add(child)) {
                    queue.add(child);
                }
            }
        }
    }

    /** clusterctl's move labels as they apply to the candidates, with the kinds whose CRD carries one ("Kind.group" to label). */
    private record MoveLabels(Labels labels, Map<String, String> labelledKinds) {
        /** The move label that applies to an object: its own label, else its kind's CRD label; null when none. */
        String of(ObjectId id) {
            if (labels.of(id, ClusterApi.MOVE_HIERARCHY) != null) {
                return ClusterApi.MOVE_HIERARCHY;
            }
            if (labels.of(id, ClusterApi.MOVE) != null) {
                return ClusterApi.MOVE;
            }
            return labelledKinds.get(id.qualifiedKind());
        }
    }

    /** The Clusters asked for (--cluster), with the graph's view of what belongs to which; none asked for: everything. */
    private record ClusterScope(ClusterAffinity affinity, Set<ObjectId> wanted) {
        boolean everything() {
            return wanted.isEmpty();
        }

        /** Not tied to a Cluster that was not asked for. */
        boolean includes(ObjectId id) {
            return everything() || !affinity.foreignTo(id, wanted);
        }
    }

    private static String reasonLeftOut(ObjectId id, ClusterScope scope) {
        if (!scope.includes(id)) {
            return OTHER_CLUSTER;
        }
        if (isSecretOrConfigMap(id)) {
            return NOT_REFERENCED;
        }
        if (id.namespace().isEmpty()) {
            return GLOBAL_NOT_REFERENCED;
        }
        return NOT_REACHED;
    }

    static boolean isSecretOrConfigMap(ObjectId id) {
        return id.isSecret() || id.isConfigMap();
    }
}

package io.pivotctl.export;

import io.pivotctl.graph.ClusterAffinity;
import io.pivotctl.graph.Edge;
import io.pivotctl.graph.LinkedObject;
import io.pivotctl.graph.EdgeType;
import io.pivotctl.graph.ObjectGraph;
import io.pivotctl.graph.ObjectId;
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
 * Decides which objects go into the archive, and says why the others do not.
 *
 * <ul>
 * <li>Objects being deleted ({@code metadata.deletionTimestamp}) and what their controller owns stay
 * behind: restoring them would bring them back to life.</li>
 * <li>Namespaced custom resources of the exported kinds are the core: all of them, or with
 * {@code --cluster} what the graph reaches from those Clusters without entering another Cluster.</li>
 * <li>Cluster-scoped objects travel when their CRD carries clusterctl's move labels or a selected object
 * references or is owned by them (a GlobalInClusterIPPool named by a Metal3DataTemplate).</li>
 * <li>Objects and kinds labelled {@code move} travel; {@code move-hierarchy} brings what they own too.</li>
 * <li>A Secret or ConfigMap joins when it belongs to an exported object: owned by it, referenced by it by
 * name (also nested, as kubeadm's {@code contentFrom.secret}), labelled or named for an exported Cluster,
 * labelled for move, or (without --cluster) labelled {@link Metal3#ENVIRONMENT} = {@link Metal3#ENVIRONMENT_BAREMETAL}.</li>
 * </ul>
 */
final class ExportSelection {

    static final String BEING_DELETED = "being deleted";
    static final String OWNER_BEING_DELETED = "owned by an object being deleted";
    static final String OTHER_CLUSTER = "belongs to a Cluster that was not selected";
    static final String NOT_REACHED = "not reached from the selected Clusters";
    static final String GLOBAL_NOT_REFERENCED = "cluster-scoped, not referenced by an exported object and its CRD not labelled for move";
    static final String NOT_REFERENCED = "not referenced by an exported object";

    /** What to archive, and what was left out with the reason. */
    record Result(Set<ObjectId> selected, List<LeftOut> leftOut) {
    }

    private ExportSelection() {
    }

    static Result select(Inventory inventory, Collection<ObjectId> clusters, Map<String, String> moveLabelledKinds) {
        Map<ObjectId, String> excluded = new LinkedHashMap<>(beingDeleted(inventory));
        List<LinkedObject> live = inventory.objects().values().stream().filter(o -> !excluded.containsKey(o.id())).map(PackedObject::linked).toList();
        ObjectGraph graph = ObjectGraph.ofLinked(live);
        MoveLabels moveLabels = new MoveLabels(labelsOf(inventory), moveLabelledKinds);
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
                selected.add(e.from()); // owned by / labelled or named for an exported object
            } else if (isSecretOrConfigMap(e.to()) && core.contains(e.from()) && e.type() != EdgeType.LABEL) {
                selected.add(e.to()); // referenced by name from an exported object
            }
        }
        for (ObjectId id : graph.nodes()) {
            if (!isSecretOrConfigMap(id) || selected.contains(id)) {
                continue;
            }
            boolean baremetal = scope.everything() && Metal3.ENVIRONMENT_BAREMETAL.equals(moveLabels.labels().of(id, Metal3.ENVIRONMENT));
            if ((moveLabels.of(id) != null && scope.includes(id)) || baremetal) {
                selected.add(id);
            }
        }
        for (ObjectId id : graph.nodes()) {
            if (!selected.contains(id)) {
                excluded.put(id, reasonLeftOut(id, scope));
            }
        }
        return new Result(selected, LeftOut.group(excluded));
    }

    /**
     * Owners that are not controllers but still end their dependents: IPAM releases an IPAddress together with
     * its claim (the address's other owner, the pool, stays), so an address whose claim goes goes too.
     */
    private static final Set<String> CLAIM_KINDS = Set.of("IPClaim", "IPAddressClaim");

    /** Objects with a deletionTimestamp, and (transitively) what their controller ownerReference (or IP claim) ties to them. */
    private static Map<ObjectId, String> beingDeleted(Inventory inventory) {
        Map<ObjectId, String> out = new LinkedHashMap<>();
        Map<String, List<ObjectId>> controlledBy = new HashMap<>();
        Map<ObjectId, String> uidOf = new HashMap<>();
        Deque<ObjectId> queue = new ArrayDeque<>();
        for (PackedObject o : inventory.objects().values()) {
            ObjectId id = o.id();
            uidOf.put(id, o.uid());
            for (LinkedObject.Owner ref : o.linked().owners()) {
                if (ref.controller() || CLAIM_KINDS.contains(ref.kind())) {
                    controlledBy.computeIfAbsent(ref.uid(), k -> new ArrayList<>()).add(id);
                }
            }
            if (o.deleting()) {
                out.put(id, BEING_DELETED);
                queue.add(id);
            }
        }
        while (!queue.isEmpty()) {
            ObjectId id = queue.poll();
            for (ObjectId child : controlledBy.getOrDefault(uidOf.get(id), List.of())) {
                if (!out.containsKey(child)) {
                    out.put(child, OWNER_BEING_DELETED);
                    queue.add(child);
                }
            }
        }
        return out;
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

    /** A label of a listed object (only those selection reads are kept); null when absent. */
    @FunctionalInterface
    private interface Labels {
        String of(ObjectId id, String key);
    }

    private static Labels labelsOf(Inventory inventory) {
        return (id, key) -> {
            PackedObject p = inventory.objects().get(id);
            return p == null ? null : p.labels().get(key);
        };
    }

    /** clusterctl's move labels as they apply to the listed objects, with the kinds whose CRD carries one ("Kind.group" to label). */
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

    static List<PackedObject> objectsOf(Inventory inventory, Set<ObjectId> ids) {
        return ids.stream().sorted().map(inventory.objects()::get).toList();
    }
}

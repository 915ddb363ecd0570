package io.pivotctl.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which Clusters each object belongs to, so a walk from the requested Clusters never steps into another.
 *
 * <p>An object belongs to the Clusters its "belongs" links lead to: ownerReferences, the cluster-name
 * label, the {@code <cluster>-<suffix>} Secret convention, {@code spec.clusterName} and a host's
 * {@code spec.consumerRef}. When those links agree on some Clusters (their affinities intersect), the
 * object belongs to those only: an IPAddress owned by a shared pool and by cluster a's IPClaim belongs
 * to a. When they do not (a template owned by Clusters a and b), the object is shared by all of them.
 * An object with no such link belongs to no Cluster and may travel with any.
 */
public final class ClusterAffinity {

    private static final Set<ObjectId> IN_PROGRESS = Collections.unmodifiableSet(new HashSet<>());

    private final Map<ObjectId, List<ObjectId>> belongsTo = new HashMap<>();
    private final Map<ObjectId, Set<ObjectId>> memo = new HashMap<>();

    private ClusterAffinity(ObjectGraph graph) {
        for (Edge e : graph.edges()) {
            if (isBelongsEdge(e)) {
                belongsTo.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
            }
        }
    }

    public static ClusterAffinity of(ObjectGraph graph) {
        return new ClusterAffinity(graph);
    }

    static boolean isBelongsEdge(Edge e) {
        return switch (e.type()) {
            case OWNER, LABEL, CONVENTION -> true;
            case REF -> "spec.consumerRef".equals(e.field()) || e.field().endsWith(".clusterName");
            default -> false;
        };
    }

    /** The Clusters {@code id} belongs to (empty: none). */
    public Set<ObjectId> of(ObjectId id) {
        Set<ObjectId> known = memo.get(id);
        if (known != null) {
            return known == IN_PROGRESS ? Set.of() : known; // an ownership cycle: the member being computed adds nothing
        }
        if (id.isCapiCluster()) {
            Set<ObjectId> self = Set.of(id);
            memo.put(id, self);
            return self;
        }
        memo.put(id, IN_PROGRESS);
        List<Set<ObjectId>> parts = new ArrayList<>();
        for (ObjectId target : belongsTo.getOrDefault(id, List.of())) {
            Set<ObjectId> a = of(target);
            if (!a.isEmpty()) {
                parts.add(a);
            }
        }
        Set<ObjectId> result = combine(parts);
        memo.put(id, result);
        return result;
    }

    /** True when {@code id} belongs to some Clusters and none of them is in {@code wanted}. */
    public boolean foreignTo(ObjectId id, Collection<ObjectId> wanted) {
        Set<ObjectId> a = of(id);
        return !a.isEmpty() && Collections.disjoint(a, wanted);
    }

    private static Set<ObjectId> combine(List<Set<ObjectId>> parts) {
        if (parts.isEmpty()) {
            return Set.of();
        }
        Set<ObjectId> common = new TreeSet<>(parts.get(0));
        Set<ObjectId> all = new TreeSet<>();
        for (Set<ObjectId> p : parts) {
            common.retainAll(p);
            all.addAll(p);
        }
        return Collections.unmodifiableSet(common.isEmpty() ? all : common);
    }
}

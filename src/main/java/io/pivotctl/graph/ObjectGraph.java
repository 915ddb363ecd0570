package io.pivotctl.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The typed object graph of a set of objects: every link as an {@link Edge}, restore levels from
 * ownership, ownerReference cycles, and dangling links (targets outside the set). Immutable and
 * deterministic: the same objects in any order give the same graph.
 */
public final class ObjectGraph {

    /** Secrets named "&lt;cluster&gt;-&lt;suffix&gt;" belong to that Cluster (clusterctl's convention). */
    public static final List<String> CLUSTER_SECRET_SUFFIXES = List.of("kubeconfig", "ca", "etcd", "sa", "proxy", "apiserver-etcd-client");

    private static final Comparator<Edge> EDGE_ORDER = Comparator.comparing(Edge::from).thenComparing(Edge::to)
            .thenComparing(Edge::type).thenComparing(Edge::field);

    private final Map<ObjectId, JsonNode> objects;
    private final List<Edge> edges;
    private final List<Edge> dangling;
    private final Map<ObjectId, Integer> levels;
    private final List<List<ObjectId>> cycles;

    private ObjectGraph(Map<ObjectId, JsonNode> objects, List<Edge> edges, List<Edge> dangling, Map<ObjectId, Integer> levels,
            List<List<ObjectId>> cycles) {
        this.objects = objects;
        this.edges = edges;
        this.dangling = dangling;
        this.levels = levels;
        this.cycles = cycles;
    }

    public static ObjectGraph of(Collection<? extends JsonNode> input) {
        Map<ObjectId, JsonNode> objects = new TreeMap<>();
        Map<ObjectId, LinkedObject> linked = new TreeMap<>();
        for (JsonNode o : input) {
            LinkedObject l = LinkedObject.of(o);
            objects.put(l.id(), o);
            linked.put(l.id(), l);
        }
        return build(objects, linked.values());
    }

    /** The graph of objects known only by their links: {@link #object} finds nothing in it. */
    public static ObjectGraph ofLinked(Collection<LinkedObject> input) {
        Map<ObjectId, JsonNode> objects = new TreeMap<>();
        Map<ObjectId, LinkedObject> linked = new TreeMap<>();
        for (LinkedObject l : input) {
            objects.put(l.id(), null);
            linked.put(l.id(), l);
        }
        return build(objects, linked.values());
    }

    private static ObjectGraph build(Map<ObjectId, JsonNode> objects, Collection<LinkedObject> linked) {
        Map<String, ObjectId> byUid = new HashMap<>();
        for (LinkedObject l : linked) {
            if (!l.uid().isEmpty()) {
                byUid.put(l.uid(), l.id());
            }
        }
        List<Edge> present = new ArrayList<>();
        List<Edge> dangling = new ArrayList<>();
        for (LinkedObject l : linked) {
            List<Edge> links = new ArrayList<>(l.links());
            resolveOwnersByUid(l.owners(), links, objects::containsKey, byUid);
            links.addAll(conventions(l.id(), objects));
            for (Edge e : links) {
                Edge resolved = toClusterScoped(e, objects::containsKey);
                (objects.containsKey(resolved.to()) ? present : dangling).add(resolved);
            }
        }
        present.sort(EDGE_ORDER);
        dangling.sort(EDGE_ORDER);
        List<List<ObjectId>> cycles = ownerCycles(objects.keySet(), present);
        Map<ObjectId, Integer> levels = levels(objects.keySet(), present, cycles);
        return new ObjectGraph(Collections.unmodifiableMap(objects), List.copyOf(present), List.copyOf(dangling),
                Collections.unmodifiableMap(levels), cycles);
    }

    /**
     * References and ownerReferences carry no namespace, so a link from a namespaced object is first read in
     * its own namespace; when only a cluster-scoped object of that kind and name exists (a
     * GlobalInClusterIPPool named by fromPoolRef), the link is to that one.
     */
    private static Edge toClusterScoped(Edge e, java.util.function.Predicate<ObjectId> exists) {
        if (exists.test(e.to()) || e.to().namespace().isEmpty()) {
            return e;
        }
        ObjectId global = new ObjectId(e.to().group(), e.to().kind(), "", e.to().name());
        return exists.test(global) ? new Edge(e.from(), global, e.type(), e.controller(), e.field()) : e;
    }

    /**
     * What {@code of(objects).dangling()} finds, for objects walked one at a time (each may be parsed again as the
     * iterable is walked) given every object's id and uid up front: references that resolve to nothing, without
     * holding the objects. The same resolution as {@link #of} (by uid, then cluster-scoped); sorted the same way.
     */
    public static List<Edge> dangling(Set<ObjectId> ids, Map<String, ObjectId> byUid, Iterable<? extends JsonNode> objects) {
        List<Edge> dangling = new ArrayList<>();
        for (JsonNode o : objects) {
            LinkedObject l = LinkedObject.of(o);
            List<Edge> links = new ArrayList<>(l.links());
            resolveOwnersByUid(l.owners(), links, ids::contains, byUid);
            for (Edge e : links) {
                Edge resolved = toClusterScoped(e, ids::contains);
                if (!ids.contains(resolved.to())) {
                    dangling.add(resolved);
                }
            }
        }
        dangling.sort(EDGE_ORDER);
        return List.copyOf(dangling);
    }

    /** An ownerReference whose (kind, name) is absent but whose uid names an object we have: link by uid. */
    private static void resolveOwnersByUid(List<LinkedObject.Owner> refs, List<Edge> links, java.util.function.Predicate<ObjectId> exists,
            Map<String, ObjectId> byUid) {
        for (int i = 0; i < links.size(); i++) {
            Edge e = links.get(i);
            if (e.type() != EdgeType.OWNER || exists.test(e.to())) {
                continue;
            }
            for (LinkedObject.Owner ref : refs) {
                ObjectId byId = byUid.get(ref.uid());
                if (byId != null && ref.name().equals(e.to().name()) && ref.kind().equals(e.to().kind())) {
                    links.set(i, new Edge(e.from(), byId, EdgeType.OWNER, e.controller(), e.field()));
                }
            }
        }
    }

    private static List<Edge> conventions(ObjectId id, Map<ObjectId, ?> objects) {
        if (!id.isSecret()) {
            return List.of();
        }
        List<Edge> out = new ArrayList<>();
        for (String suffix : CLUSTER_SECRET_SUFFIXES) {
            if (id.name().endsWith("-" + suffix)) {
                ObjectId cluster = new ObjectId(Linker.CAPI, "Cluster", id.namespace(), id.name().substring(0, id.name().length() - suffix.length() - 1));
                if (objects.containsKey(cluster)) {
                    out.add(new Edge(id, cluster, EdgeType.CONVENTION, false, "metadata.name"));
                }
            }
        }
        return out;
    }

    /** Strongly connected components of the owner edges with more than one member (or a self-owner). */
    private static List<List<ObjectId>> ownerCycles(Set<ObjectId> nodes, List<Edge> edges) {
        OwnerCycles cycles = new OwnerCycles(ownerMap(nodes, edges));
        nodes.forEach(cycles::searchFrom);
        return cycles.sorted();
    }

    /** Tarjan's strongly connected components over owner edges, iterative: deep ownership chains must not overflow the stack. */
    private static final class OwnerCycles {
        private final Map<ObjectId, List<ObjectId>> owners;
        private final Map<ObjectId, Integer> index = new HashMap<>();
        private final Map<ObjectId, Integer> low = new HashMap<>();
        private final Deque<ObjectId> stack = new ArrayDeque<>();
        private final Set<ObjectId> onStack = new HashSet<>();
        private final List<List<ObjectId>> found = new ArrayList<>();
        private int counter;

        OwnerCycles(Map<ObjectId, List<ObjectId>> owners) {
            this.owners = owners;
        }

        /** Every cycle reachable from {@code start} that an earlier search did not find. */
        void searchFrom(ObjectId start) {
            if (index.containsKey(start)) {
                return;
            }
            Deque<Object[]> work = new ArrayDeque<>();
            work.push(new Object[] {start, 0});
            while (!work.isEmpty()) {
                Object[] frame = work.peek();
                ObjectId v = (ObjectId) frame[0];
                int i = (Integer) frame[1];
                if (i == 0 && !index.containsKey(v)) {
                    index.put(v, counter);
                    low.put(v, counter++);
                    stack.push(v);
                    onStack.add(v);
                }
                List<ObjectId> next = owners.getOrDefault(v, List.of());
                if (i < next.size()) {
                    frame[1] = i + 1;
                    ObjectId w = next.get(i);
                    if (!index.containsKey(w)) {
                        work.push(new Object[] {w, 0});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    ObjectId parent = (ObjectId) work.peek()[0];
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    closeComponent(v);
                }
            }
        }

        /** {@code root} closes a component: it and everything above it on the stack; kept when it is a cycle. */
        private void closeComponent(ObjectId root) {
            List<ObjectId> component = new ArrayList<>();
            ObjectId w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(root));
            if (component.size() > 1 || owners.getOrDefault(root, List.of()).contains(root)) {
                Collections.sort(component);
                found.add(List.copyOf(component));
            }
        }

        List<List<ObjectId>> sorted() {
            List<List<ObjectId>> out = new ArrayList<>(found);
            out.sort(Comparator.comparing(c -> c.get(0)));
            return List.copyOf(out);
        }
    }

    /** Level 0: no owner in the graph; otherwise one more than the highest owner. Cycle members ignore owners inside their cycle. */
    private static Map<ObjectId, Integer> levels(Set<ObjectId> nodes, List<Edge> edges, List<List<ObjectId>> cycles) {
        Map<ObjectId, Set<ObjectId>> cycleOf = new HashMap<>();
        for (List<ObjectId> c : cycles) {
            Set<ObjectId> members = new HashSet<>(c);
            c.forEach(m -> cycleOf.put(m, members));
        }
        Map<ObjectId, List<ObjectId>> owners = ownerMap(nodes, edges);
        Map<ObjectId, Integer> level = new TreeMap<>();
        for (ObjectId n : nodes) {
            levelOf(n, owners, cycleOf, level);
        }
        return level;
    }

    private static int levelOf(ObjectId start, Map<ObjectId, List<ObjectId>> owners, Map<ObjectId, Set<ObjectId>> cycleOf, Map<ObjectId, Integer> level) {
        Deque<ObjectId> work = new ArrayDeque<>();
        work.push(start);
        Set<ObjectId> visiting = new HashSet<>();
        while (!work.isEmpty()) {
            ObjectId v = work.peek();
            if (level.containsKey(v)) {
                work.pop();
                continue;
            }
            visiting.add(v);
            Set<ObjectId> cycle = cycleOf.getOrDefault(v, Set.of());
            boolean ready = true;
            int max = -1;
            for (ObjectId o : owners.getOrDefault(v, List.of())) {
                if (cycle.contains(o)) {
                    continue;
                }
                Integer l = level.get(o);
                if (l == null) {
                    if (visiting.contains(o)) {
                        continue; // defensive: a cycle not reported as such
                    }
                    work.push(o);
                    ready = false;
                } else {
                    max = Math.max(max, l);
                }
            }
            if (ready) {
                work.pop();
                level.put(v, max + 1);
            }
        }
        return level.get(start);
    }

    private static Map<ObjectId, List<ObjectId>> ownerMap(Set<ObjectId> nodes, List<Edge> edges) {
        Map<ObjectId, List<ObjectId>> owners = new HashMap<>();
        for (Edge e : edges) {
            if (e.type() == EdgeType.OWNER && nodes.contains(e.to())) {
                owners.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
            }
        }
        return owners;
    }

    public Set<ObjectId> nodes() {
        return objects.keySet();
    }

    public Optional<JsonNode> object(ObjectId id) {
        return Optional.ofNullable(objects.get(id));
    }

    /** Links whose target is in the graph, sorted. */
    public List<Edge> edges() {
        return edges;
    }

    /** Links whose target is not in the graph (warnings: a reference that will not resolve after restore). */
    public List<Edge> dangling() {
        return dangling;
    }

    public Map<ObjectId, Integer> levels() {
        return levels;
    }

    /** Objects grouped by restore level, level 0 first; sorted inside a level. */
    public List<List<ObjectId>> levelOrder() {
        int max = levels.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        List<List<ObjectId>> out = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            out.add(new ArrayList<>());
        }
        levels.forEach((id, l) -> out.get(l).add(id));
        return out.stream().map(l -> List.copyOf(new TreeSet<>(l))).toList();
    }

    public List<List<ObjectId>> cycles() {
        return cycles;
    }

    public List<ObjectId> dependenciesOf(ObjectId id) {
        return edges.stream().filter(e -> e.from().equals(id)).map(Edge::to).distinct().toList();
    }

    public List<ObjectId> dependentsOf(ObjectId id) {
        return edges.stream().filter(e -> e.to().equals(id)).map(Edge::from).distinct().toList();
    }

    /**
     * What belongs to the given Clusters. Members: the Clusters, and (transitively) every object owned by,
     * labelled for or named for a member, plus BareMetalHosts whose spec.consumerRef points at a member;
     * the owned objects of such hosts (HardwareData, BMC Secret) follow as members. Dependencies: what a member
     * references by name, owner or annotation, transitively forward only. Neither walk enters an object that
     * belongs only to Clusters that were not asked for ({@link ClusterAffinity}): a template or pool shared
     * with another Cluster comes along, that Cluster and what only it owns do not.
     */
    public Set<ObjectId> selectClusters(Collection<ObjectId> clusters) {
        ClusterAffinity affinity = ClusterAffinity.of(this);
        Set<ObjectId> wanted = new TreeSet<>();
        for (ObjectId c : clusters) {
            if (objects.containsKey(c)) {
                wanted.add(c);
            }
        }
        Map<ObjectId, List<Edge>> incoming = new HashMap<>();
        Map<ObjectId, List<Edge>> outgoing = new HashMap<>();
        for (Edge e : edges) {
            incoming.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e);
            outgoing.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e);
        }
        Set<ObjectId> members = new TreeSet<>(wanted);
        Deque<ObjectId> queue = new ArrayDeque<>(wanted);
        while (!queue.isEmpty()) {
            ObjectId m = queue.poll();
            for (Edge e : incoming.getOrDefault(m, List.of())) {
                boolean belongs = e.type() == EdgeType.OWNER || e.type() == EdgeType.LABEL || e.type() == EdgeType.CONVENTION
                        || (e.type() == EdgeType.REF && "spec.consumerRef".equals(e.field()));
                if (belongs && !affinity.foreignTo(e.from(), wanted) && members.add(e.from())) {
                    queue.add(e.from());
                }
            }
        }
        Set<ObjectId> selected = new TreeSet<>(members);
        queue.addAll(members);
        while (!queue.isEmpty()) {
            ObjectId m = queue.poll();
            for (Edge e : outgoing.getOrDefault(m, List.of())) {
                if (e.type() != EdgeType.LABEL && e.type() != EdgeType.CONVENTION && !affinity.foreignTo(e.to(), wanted) && selected.add(e.to())) {
                    queue.add(e.to());
                }
            }
        }
        return Collections.unmodifiableSet(selected);
    }
}

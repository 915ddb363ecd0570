package io.pivotctl.export;

import io.pivotctl.graph.LinkedObject;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.graph.Selection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which listed objects go into the archive, and says why the others do not: objects being deleted
 * ({@code metadata.deletionTimestamp}) and what their controller owns stay behind (restoring them would bring them
 * back to life); of the rest, {@link Selection} decides, the same selection import and verify make again from an
 * archive's graph with {@code --cluster}.
 */
final class ExportSelection {

    static final String BEING_DELETED = "being deleted";
    static final String OWNER_BEING_DELETED = "owned by an object being deleted";
    static final String NOT_REFERENCED = Selection.NOT_REFERENCED;

    /** What to archive, and what was left out with the reason. */
    record Result(Set<ObjectId> selected, List<LeftOut> leftOut) {
    }

    private ExportSelection() {
    }

    static Result select(Inventory inventory, Collection<ObjectId> clusters, Map<String, String> moveLabelledKinds) {
        Map<ObjectId, String> excluded = new LinkedHashMap<>(beingDeleted(inventory));
        List<LinkedObject> live = inventory.objects().values().stream().filter(o -> !excluded.containsKey(o.id())).map(PackedObject::linked).toList();
        Selection.Labels labels = (id, key) -> {
            PackedObject p = inventory.objects().get(id);
            return p == null ? null : p.labels().get(key);
        };
        Selection.Result result = Selection.select(new Selection.Candidates(live, labels, moveLabelledKinds), clusters);
        excluded.putAll(result.excluded());
        return new Result(result.selected(), LeftOut.group(excluded));
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

    static List<PackedObject> objectsOf(Inventory inventory, Set<ObjectId> ids) {
        return ids.stream().sorted().map(inventory.objects()::get).toList();
    }
}

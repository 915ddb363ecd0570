package io.pivotctl.release;

import io.pivotctl.graph.Edge;
import io.pivotctl.graph.EdgeType;
import io.pivotctl.graph.LinkedObject;
import io.pivotctl.graph.ObjectId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which archived objects the release must leave on the source because something that stays there still uses them.
 * Something stays when the release does not delete it: it is not in the archive (created after the export, or never
 * selected: another Cluster), or the plan leaves it alone. An object it must keep:
 * <ul>
 * <li>is named by a staying object's ownerReference (by UID), or by one of its references by name in the object
 * graph: a typed reference, a Secret or pool name, the host annotation, the cluster-name label (a namespaced
 * reference to a name only a cluster-scoped object has is to that object, as in the graph);</li>
 * <li>or itself has an owner that is not in the archive and stays: Cluster API makes a Cluster an owner of the
 * templates it uses, so a template shared with a Cluster that was not exported is kept for it.</li>
 * </ul>
 * What is kept stays, so it keeps what it uses in turn, until nothing changes. A pure function of its input.
 */
final class UsageCheck {

    private final Map<String, LinkedObject> liveByUid = new HashMap<>();
    private final Set<ObjectId> liveIds = new HashSet<>();
    private final Map<ObjectId, String> releasing;
    private final Map<String, ObjectId> releasingByUid = new HashMap<>();
    private final Map<ObjectId, String> kept = new LinkedHashMap<>();
    private final Deque<LinkedObject> users = new ArrayDeque<>();

    private UsageCheck(List<LinkedObject> live, Map<ObjectId, String> releasing) {
        this.releasing = releasing;
        live.forEach(l -> {
            liveByUid.put(l.uid(), l);
            liveIds.add(l.id());
        });
        releasing.forEach((id, uid) -> releasingByUid.put(uid, id));
    }

    /**
     * {@code releasing}: what the plan would delete (id to archived UID); {@code archivedUids}: the UIDs of every
     * archived object. Returns the objects to keep, each with the reason naming what uses it.
     */
    static Map<ObjectId, String> keptFor(List<LinkedObject> live, Map<ObjectId, String> releasing, Set<String> archivedUids) {
        UsageCheck check = new UsageCheck(live, releasing);
        for (LinkedObject l : live) {
            if (!check.released(l)) {
                check.users.add(l);
            }
        }
        for (LinkedObject l : live) {
            if (check.released(l)) {
                check.ownedByOutsider(l, archivedUids);
            }
        }
        while (!check.users.isEmpty()) {
            check.usedBy(check.users.poll());
        }
        return check.kept;
    }

    private boolean released(LinkedObject l) {
        return l.uid().equals(releasing.get(l.id())) && !kept.containsKey(l.id());
    }

    private void ownedByOutsider(LinkedObject l, Set<String> archivedUids) {
        for (LinkedObject.Owner owner : l.owners()) {
            LinkedObject o = liveByUid.get(owner.uid());
            if (o != null && !archivedUids.contains(owner.uid())) {
                keep(l.id(), "owned by " + o.id() + ", which stays on the source (it is not in the archive)");
                return;
            }
        }
    }

    /** Everything {@code user} (which stays) points at is kept. */
    private void usedBy(LinkedObject user) {
        for (LinkedObject.Owner owner : user.owners()) {
            ObjectId owned = releasingByUid.get(owner.uid());
            if (owned != null) {
                keep(owned, "used by " + user.id() + " (its ownerReference)");
            }
        }
        for (Edge e : user.links()) {
            if (e.type() == EdgeType.OWNER || e.type() == EdgeType.CONVENTION) {
                continue; // owners count by UID, above; a name convention is not a use
            }
            ObjectId target = resolve(e.to());
            if (releasing.containsKey(target)) {
                keep(target, "used by " + user.id() + " (" + e.field() + ")");
            }
        }
    }

    private void keep(ObjectId id, String why) {
        if (kept.putIfAbsent(id, why) == null) {
            LinkedObject l = liveByUid.get(releasing.get(id));
            if (l != null) {
                users.add(l);
            }
        }
    }

    private ObjectId resolve(ObjectId to) {
        if (liveIds.contains(to) || to.namespace().isEmpty()) {
            return to;
        }
        ObjectId global = new ObjectId(to.group(), to.kind(), "", to.name());
        return liveIds.contains(global) ? global : to;
    }
}

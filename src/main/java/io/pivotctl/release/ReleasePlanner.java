package io.pivotctl.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.GroupVersionKind;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.validate.LoadedArchive;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Matches every archived object with the live source by UID (one list per kind and namespace) and decides what
 * release-source may do with it. Reads only.
 */
final class ReleasePlanner {

    private final ClusterConnection conn;
    private final ResourceClient client;

    ReleasePlanner(ClusterConnection conn) {
        this.conn = conn;
        this.client = new ResourceClient(conn);
    }

    /** The live objects the plan was made from, by id: the executor re-reads before each guarded write anyway. */
    record Plan(List<ReleaseStep> steps, Map<ObjectId, ObjectNode> live) {
    }

    Plan plan(LoadedArchive archive, Set<String> deletedEarlier) {
        Map<String, Integer> levels = archive.manifest().graph() == null ? Map.of() : archive.manifest().graph().levelOf();
        Discovery discovery = new Discovery(conn);
        Map<GroupVersionKind, Optional<ResourceType>> types = new HashMap<>();
        Map<List<Object>, List<ArchivedObject>> groups = new LinkedHashMap<>();
        for (ArchivedObject o : archive.objects()) {
            var e = o.entry();
            GroupVersionKind typeKey = e.gvk();
            types.computeIfAbsent(typeKey, k -> discovery.find(e.group(), e.version(), e.kind()));
            groups.computeIfAbsent(List.of(typeKey, o.id().namespace()), k -> new ArrayList<>()).add(o);
        }
        Map<ObjectId, ObjectNode> live = new HashMap<>();
        for (List<ArchivedObject> group : groups.values()) {
            var e = group.get(0).entry();
            Optional<ResourceType> t = types.get(e.gvk());
            if (t.isEmpty()) {
                continue;
            }
            String ns = group.get(0).id().namespace();
            try {
                for (ObjectNode l : client.list(t.get(), t.get().namespaced() ? ns : null).items()) {
                    live.put(ObjectId.of(l), l);
                }
            } catch (RuntimeException ex) {
                throw ApiErrors.describe(ex, "list", t.get().qualifiedResource() + (ns.isEmpty() ? "" : " in namespace " + ns), conn.server());
            }
        }

        // Hosts decide first: their BMC Secret and HardwareData go with them, or stay with them.
        Map<ObjectId, ObjectId> hostOf = new HashMap<>();
        Map<ObjectId, ReleaseStep> hostSteps = new HashMap<>();
        for (ArchivedObject o : archive.objects()) {
            ObjectId id = o.id();
            if (id.isBareMetalHost()) {
                String secret = o.object().path("spec").path("bmc").path("credentialsName").asText("");
                if (!secret.isEmpty()) {
                    hostOf.put(new ObjectId("", "Secret", id.namespace(), secret), id);
                }
                hostOf.put(new ObjectId("metal3.io", "HardwareData", id.namespace(), id.name()), id);
            }
        }
        List<ReleaseStep> steps = new ArrayList<>();
        for (ArchivedObject o : archive.objects()) {
            ObjectId id = o.id();
            if (id.isBareMetalHost()) {
                ReleaseStep s = classify(o, types, live, levels, deletedEarlier, ReleaseStep.Phase.HOSTS, null);
                hostSteps.put(id, s);
                steps.add(s);
            }
        }
        for (ArchivedObject o : archive.objects()) {
            ObjectId id = o.id();
            if (id.isBareMetalHost()) {
                continue;
            }
            ObjectId host = hostOf.get(id);
            ReleaseStep s = classify(o, types, live, levels, deletedEarlier, host != null ? ReleaseStep.Phase.HOSTS : ReleaseStep.Phase.REST, host);
            ReleaseStep hostStep = host == null ? null : hostSteps.get(host);
            if (hostStep != null && hostStep.action() == ReleaseStep.Action.LEFT_ALONE && s.action() == ReleaseStep.Action.DELETE) {
                s = s.leftAlone("belongs to " + host + ", which is left alone");
            }
            steps.add(s);
        }
        return new Plan(List.copyOf(steps), live);
    }

    private static ReleaseStep classify(ArchivedObject o, Map<GroupVersionKind, Optional<ResourceType>> types, Map<ObjectId, ObjectNode> live,
            Map<String, Integer> levels, Set<String> deletedEarlier, ReleaseStep.Phase phase, ObjectId host) {
        ObjectId id = o.id();
        var e = o.entry();
        ResourceType type = types.get(e.gvk()).orElse(null);
        String uid = o.uid();
        int level = levels.getOrDefault(EntryPaths.id(id), 0);
        if (type == null) {
            return new ReleaseStep(id, null, uid, phase, level, ReleaseStep.Action.LEFT_ALONE, e.kind() + " " + e.version() + " is not served by the source", host);
        }
        if (uid.isEmpty()) {
            return new ReleaseStep(id, type, uid, phase, level, ReleaseStep.Action.LEFT_ALONE, "the archive records no UID for it", host);
        }
        ObjectNode l = live.get(id);
        if (l == null) {
            return new ReleaseStep(id, type, uid, phase, level, ReleaseStep.Action.GONE,
                    deletedEarlier.contains(EntryPaths.id(id)) ? "deleted by an earlier release-source run" : "not on the source", host);
        }
        String liveUid = l.path("metadata").path("uid").asText("");
        if (!uid.equals(liveUid)) {
            return new ReleaseStep(id, type, uid, phase, level, ReleaseStep.Action.LEFT_ALONE,
                    "another object with this name (UID " + liveUid + ", archived " + uid + ")", host);
        }
        List<String> changed = changedFields(o.object(), l);
        if (!changed.isEmpty()) {
            return new ReleaseStep(id, type, uid, phase, level, ReleaseStep.Action.LEFT_ALONE, "changed since export: " + String.join(", ", changed), host);
        }
        if (id.isBareMetalHost()) {
            String paused = l.path("metadata").path("annotations").path(Metal3.HOST_PAUSED).asText(null);
            if (paused != null && !PivotctlMarks.PAUSED_BY_PIVOTCTL.equals(paused)) {
                return new ReleaseStep(id, type, uid, phase, level, ReleaseStep.Action.LEFT_ALONE,
                        "paused by '" + paused + "', not by pivotctl: not ours to lift", host);
            }
            return new ReleaseStep(id, type, uid, phase, level, ReleaseStep.Action.DETACH_DELETE, "", host);
        }
        return new ReleaseStep(id, type, uid, phase, level, ReleaseStep.Action.DELETE, "", host);
    }

    /**
     * Top-level fields other than metadata and status ("spec", a Secret's "data", ...) that differ between the
     * archived and the live object, compared canonically (key order and number width do not count).
     */
    static List<String> changedFields(ObjectNode archived, ObjectNode live) {
        Set<String> fields = new TreeSet<>();
        for (Iterator<String> it = archived.fieldNames(); it.hasNext();) {
            fields.add(it.next());
        }
        for (Iterator<String> it = live.fieldNames(); it.hasNext();) {
            fields.add(it.next());
        }
        fields.removeAll(Set.of("metadata", "status", "apiVersion", "kind"));
        List<String> changed = new ArrayList<>();
        for (String f : fields) {
            if (!canonical(archived.get(f)).equals(canonical(live.get(f)))) {
                changed.add(f);
            }
        }
        return changed;
    }

    private static String canonical(JsonNode n) {
        return n == null || n.isNull() ? "null" : Json.toJson(Json.canonical(n));
    }
}

package io.pivotctl.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.GroupVersionKind;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.kube.KubeTarget;
import io.pivotctl.kube.Parallel;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.ObjectDiff;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.leases.DnsmasqLeasesPatch;
import io.pivotctl.validate.LoadedArchive;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Compares the live target with the archive: every archived field must be present with an equal value
 * (server defaulting may add fields), ignoring pivotctl's own markers; owner references must point at the right
 * live owners; Secret data (with the key) and the leases ConfigMap must match; no object may be Terminating, and
 * Clusters and hosts must be paused exactly as import leaves them ({@link PauseCheck}).
 */
public final class VerifyService {

    static final Set<String> IGNORED_ANNOTATIONS = Set.of(PivotctlMarks.RESTORED_FROM, Metal3.HOST_STATUS, PivotctlMarks.IMPORT_RUN);

    public VerifyReport run(KubeTarget target, LoadedArchive archive, String leasesNamespace, String leasesConfigMap) {
        return run(target, archive, leasesNamespace, leasesConfigMap, false);
    }

    /** @param expectPaused the import ran with --keep-paused: restored Clusters and hosts are expected paused */
    public VerifyReport run(KubeTarget target, LoadedArchive archive, String leasesNamespace, String leasesConfigMap, boolean expectPaused) {
        PauseCheck pauseCheck = new PauseCheck(archive.manifest().pausedByExport(), expectPaused);
        try (ClusterConnection conn = KubeConnector.connect(target)) {
            ResourceClient client = new ResourceClient(conn);
            Map<GroupVersionKind, Optional<ResourceType>> types = typesOf(new Discovery(conn), archive);
            Findings found = new Findings();
            // One list per kind and namespace, compared as it arrives and then dropped: only each found object's live UID
            // and ownerReferences are kept (for the owner check, which needs every owner's new UID), so memory stays
            // bounded by the largest list, not by the fleet.
            Parallel.map(new ArrayList<>(groups(archive).values()), conn.concurrency(), group -> {
                compareGroup(client, types.get(group.get(0).entry().gvk()), group, pauseCheck, found);
                return null;
            });
            compareAllOwners(archive, found);
            boolean leasesChecked = false;
            if (archive.leases().isPresent()) {
                leasesChecked = true;
                compareLeases(client, archive.leases().get(), leasesNamespace, leasesConfigMap, found.diffs);
            }
            return new VerifyReport(archive.manifest().archiveId(), conn.server(), found.liveUid.size(), found.secrets.get(),
                    !archive.secretsDecrypted() && !archive.manifest().secrets().isEmpty(), leasesChecked, found.sortedDiffs());
        }
    }

    /** What the comparison found so far, filled by one thread per kind and namespace. */
    private static final class Findings {
        final List<Difference> diffs = Collections.synchronizedList(new ArrayList<>());
        /** The live UID of every archived object found on the target. */
        final Map<ObjectId, String> liveUid = new ConcurrentHashMap<>();
        /** The live ownerReferences of every found object that had some archived (see {@link #packOwners}). */
        final Map<ObjectId, String> liveOwnerRefs = new ConcurrentHashMap<>();
        final AtomicInteger secrets = new AtomicInteger();

        List<Difference> sortedDiffs() {
            List<Difference> sorted = new ArrayList<>(diffs);
            sorted.sort(Comparator.comparing(Difference::object).thenComparing(Difference::kind).thenComparing(Difference::detail));
            return sorted;
        }
    }

    private static Map<GroupVersionKind, Optional<ResourceType>> typesOf(Discovery discovery, LoadedArchive archive) {
        Map<GroupVersionKind, Optional<ResourceType>> types = new HashMap<>();
        for (ArchivedObject o : archive.objects()) {
            var e = o.entry();
            types.computeIfAbsent(e.gvk(), k -> discovery.find(e.group(), e.version(), e.kind()));
        }
        return types;
    }

    /** The archived objects by kind and namespace: each group is one (paged) list on the target. */
    private static Map<List<Object>, List<ArchivedObject>> groups(LoadedArchive archive) {
        Map<List<Object>, List<ArchivedObject>> groups = new LinkedHashMap<>();
        for (ArchivedObject o : archive.objects()) {
            groups.computeIfAbsent(List.of(o.entry().gvk(), o.id().namespace()), k -> new ArrayList<>()).add(o);
        }
        return groups;
    }

    /** Lists one kind in one namespace and compares each archived object as it arrives; what is not found is missing. */
    private static void compareGroup(ResourceClient client, Optional<ResourceType> t, List<ArchivedObject> group, PauseCheck pauseCheck,
            Findings found) {
        var e = group.get(0).entry();
        if (t.isEmpty()) {
            group.forEach(o -> found.diffs.add(new Difference(o.id().toString(), Difference.Kind.NOT_SERVED,
                    e.kind() + " " + e.version() + " is not served by the target")));
            return;
        }
        Map<ObjectId, ArchivedObject> wanted = new HashMap<>();
        group.forEach(o -> wanted.put(o.id(), o));
        String ns = group.get(0).id().namespace();
        try {
            // streamed page by page: each live object is compared as it arrives, then dropped
            client.forEach(t.get(), t.get().namespaced() ? ns : null, null, l -> {
                ArchivedObject o = wanted.remove(ObjectId.of(l));
                if (o != null) {
                    compareFound(o, l, pauseCheck, found);
                }
            });
        } catch (RuntimeException ex) {
            throw ApiErrors.describe(ex, "list", t.get().qualifiedResource() + (ns.isEmpty() ? "" : " in namespace " + ns),
                    client.connection().server());
        }
        wanted.values().forEach(o -> found.diffs.add(new Difference(o.id().toString(), Difference.Kind.MISSING, "not found on the target")));
    }

    private static void compareFound(ArchivedObject o, ObjectNode live, PauseCheck pauseCheck, Findings found) {
        found.liveUid.put(o.id(), live.path("metadata").path("uid").asText());
        if (o.hasOwnerReferences()) {
            found.liveOwnerRefs.put(o.id(), packOwners(live.path("metadata").path("ownerReferences")));
        }
        if (o.isSecret()) {
            found.secrets.incrementAndGet();
        }
        compare(o, live, found.diffs);
        checkLiveState(o, live, pauseCheck, found.diffs);
    }

    /** Once every list is read (and every owner's new UID known): each found object's ownerReferences. */
    private static void compareAllOwners(LoadedArchive archive, Findings found) {
        Map<String, String> liveUidByArchivedUid = new HashMap<>();
        Map<String, ObjectId> idByArchivedUid = new HashMap<>();
        for (ArchivedObject o : archive.objects()) {
            String uid = o.uid();
            idByArchivedUid.put(uid, o.id());
            if (found.liveUid.containsKey(o.id())) {
                liveUidByArchivedUid.put(uid, found.liveUid.get(o.id()));
            }
        }
        for (ArchivedObject o : archive.objects()) {
            String refs = found.liveOwnerRefs.get(o.id());
            if (refs != null) {
                compareOwners(o, refs, liveUidByArchivedUid, idByArchivedUid, found.diffs);
            }
        }
    }

    private static void compare(ArchivedObject o, ObjectNode live, List<Difference> diffs) {
        ObjectNode archived = o.object();
        String id = o.id().toString();
        boolean cluster = o.id().isCapiCluster();
        for (Iterator<String> it = archived.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (field.equals("metadata") || field.equals("apiVersion") || field.equals("kind")) {
                continue;
            }
            if (field.equals("status")) {
                continue;
            }
            JsonNode a = archived.get(field);
            if (cluster && field.equals("spec")) {
                a = a.deepCopy();
                ((ObjectNode) a).remove("paused");
            }
            Difference.Kind kind = o.isSecret() && (field.equals("data") || field.equals("stringData")) ? Difference.Kind.SECRET_DATA : Difference.Kind.SPEC;
            for (String d : ObjectDiff.missingOrDifferent(a, live.get(field), field)) {
                diffs.add(new Difference(id, kind, d));
            }
        }
        if (o.isSecret() && archived.has("data") && live.has("data") && live.get("data").size() != archived.get("data").size()) {
            diffs.add(new Difference(id, Difference.Kind.SECRET_DATA, "data has " + live.get("data").size() + " keys, archived " + archived.get("data").size()));
        }
        for (String map : List.of("labels", "annotations")) {
            ObjectNode a = archived.path("metadata").path(map).isObject() ? ((ObjectNode) archived.path("metadata").get(map)).deepCopy() : null;
            if (a == null) {
                continue;
            }
            IGNORED_ANNOTATIONS.forEach(a::remove);
            a.remove(Metal3.HOST_PAUSED); // compared as pause state, see checkLiveState
            for (String d : ObjectDiff.missingOrDifferent(a, live.path("metadata").path(map), "metadata." + map)) {
                diffs.add(new Difference(id, Difference.Kind.METADATA, d));
            }
        }
        if (archived.has("status") && archived.get("status").size() > 0) {
            for (String d : ObjectDiff.missingOrDifferent(archived.get("status"), live.get("status"), "status")) {
                diffs.add(new Difference(id, Difference.Kind.STATUS, d));
            }
        }
    }

    /**
     * What a field-by-field comparison cannot see: an object the target is deleting (it is about to disappear, or hangs
     * on a finalizer), and a Cluster or host paused (or unpaused) other than import leaves it.
     */
    private static void checkLiveState(ArchivedObject o, ObjectNode live, PauseCheck pauseCheck, List<Difference> diffs) {
        JsonNode meta = live.path("metadata");
        if (meta.hasNonNull("deletionTimestamp")) {
            List<String> finalizers = new ArrayList<>();
            meta.path("finalizers").forEach(f -> finalizers.add(f.asText()));
            diffs.add(new Difference(o.id().toString(), Difference.Kind.TERMINATING, "being deleted since " + meta.path("deletionTimestamp").asText()
                    + (finalizers.isEmpty() ? "" : ", waiting for finalizer(s) " + String.join(", ", finalizers))));
        }
        pauseCheck.difference(o, live).ifPresent(d -> diffs.add(new Difference(o.id().toString(), Difference.Kind.PAUSED, d)));
    }

    /**
     * What the owner check needs of a live object's ownerReferences, kept per object until every owner's new UID is
     * known: one line "kind TAB name TAB uid" per reference, a few dozen bytes instead of a parsed JSON array.
     */
    static String packOwners(JsonNode refs) {
        StringBuilder b = new StringBuilder();
        for (JsonNode r : refs) {
            b.append(r.path("kind").asText()).append('\t').append(r.path("name").asText()).append('\t').append(r.path("uid").asText()).append('\n');
        }
        return b.toString();
    }

    /** The uid of the last packed reference to (kind, name), as the list was read; null when there is none. */
    static String packedOwnerUid(String packed, String kind, String name) {
        String found = null;
        for (String line : packed.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length == 3 && f[0].equals(kind) && f[1].equals(name)) {
                found = f[2];
            }
        }
        return found;
    }

    /** Each archived ownerReference must be on the live object and point at the live owner's (new) UID. */
    private static void compareOwners(ArchivedObject o, String liveRefs, Map<String, String> liveUidByArchivedUid,
            Map<String, ObjectId> idByArchivedUid, List<Difference> diffs) {
        String id = o.id().toString();
        for (JsonNode ref : o.object().path("metadata").path("ownerReferences")) {
            String kind = ref.path("kind").asText();
            String name = ref.path("name").asText();
            String liveOwnerUid = liveUidByArchivedUid.get(ref.path("uid").asText());
            String liveRefUid = packedOwnerUid(liveRefs, kind, name);
            if (liveRefUid == null) {
                diffs.add(new Difference(id, Difference.Kind.OWNER, "ownerReference to " + kind + " " + name + " is missing"));
            } else if (liveOwnerUid == null) {
                if (idByArchivedUid.containsKey(ref.path("uid").asText())) {
                    diffs.add(new Difference(id, Difference.Kind.OWNER, "owner " + kind + " " + name + " is missing on the target"));
                }
            } else if (!liveOwnerUid.equals(liveRefUid)) {
                diffs.add(new Difference(id, Difference.Kind.OWNER, "ownerReference to " + kind + " " + name + " does not point at the live owner's UID"));
            }
        }
    }

    private static void compareLeases(ResourceClient client, byte[] leases, String ns, String name, List<Difference> diffs) {
        String what = "ConfigMap " + ns + "/" + name;
        Optional<ObjectNode> cm;
        try {
            cm = client.get(ResourceType.CONFIG_MAP, ns, name);
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "get", what, client.connection().server());
        }
        if (cm.isEmpty()) {
            diffs.add(new Difference(what, Difference.Kind.LEASES, "leases ConfigMap not found"));
        } else if (!new String(leases, StandardCharsets.UTF_8).equals(cm.get().path("data").path(DnsmasqLeasesPatch.KEY).asText(null))) {
            diffs.add(new Difference(what, Difference.Kind.LEASES, "data." + DnsmasqLeasesPatch.KEY + " differs from the archived lease file"));
        }
    }
}

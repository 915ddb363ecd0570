package io.pivotctl.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.Digests;
import io.pivotctl.archive.Manifest;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.leases.Lease;
import io.pivotctl.leases.LeaseFile;
import io.pivotctl.validate.LoadedArchive;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two validated archives, A (before) and B (after). Objects are compared on what an operator changes or a
 * controller reports: every top-level field but the server's bookkeeping (spec, status, data, ...), labels,
 * annotations, finalizers and owners (kind and name: owners get new UIDs on every restore). Secrets are compared by
 * the SHA-256 of their decrypted content when both archives were opened with a key, else by their manifest digest and
 * description; their values never reach the report.
 */
public final class ArchiveDiff {

    private static final String BMH_GROUP = "metal3.io";

    private ArchiveDiff() {
    }

    public static DiffReport of(String nameA, LoadedArchive a, String nameB, LoadedArchive b) {
        boolean byContent = a.secretsDecrypted() && b.secretsDecrypted();
        Map<ObjectId, ArchivedObject> before = byId(a);
        Map<ObjectId, ArchivedObject> after = byId(b);
        List<ObjectChange> objects = new ArrayList<>();
        List<HostChange> hosts = new ArrayList<>();
        Set<ObjectId> ids = new TreeSet<>(before.keySet());
        ids.addAll(after.keySet());
        for (ObjectId id : ids) {
            if (!before.containsKey(id) || !after.containsKey(id)) {
                objects.add(new ObjectChange(id.toString(), before.containsKey(id) ? Change.REMOVED : Change.ADDED, List.of()));
            } else if (!id.isSecret()) {
                compareObjects(id, before.get(id).object(), after.get(id).object(), objects, hosts);
            }
        }
        SecretComparison secrets = byContent ? SecretComparison.byContent(before, after) : SecretComparison.byManifest(a.manifest(), b.manifest());
        objects.addAll(secrets.changes());
        objects.sort(java.util.Comparator.comparing(ObjectChange::object));
        return new DiffReport(nameA, nameB, objects, hosts, leases(a, b), byContent, secrets.undecided());
    }

    /**
     * Every object the archive holds by id, Secrets included when decrypted; without a key a Secret is known from the
     * manifest only, with no object (null): added and removed are still found.
     */
    private static Map<ObjectId, ArchivedObject> byId(LoadedArchive archive) {
        Map<ObjectId, ArchivedObject> out = new TreeMap<>();
        archive.objects().forEach(o -> out.put(o.id(), o));
        if (!archive.secretsDecrypted()) {
            for (Manifest.SecretInfo s : archive.manifest().secrets()) {
                out.putIfAbsent(new ObjectId("", "Secret", s.namespace(), s.name()), null);
            }
        }
        return out;
    }

    private static void compareObjects(ObjectId id, ObjectNode x, ObjectNode y, List<ObjectChange> objects, List<HostChange> hosts) {
        List<String> fields = FieldPaths.changed(comparable(x), comparable(y), "");
        if (fields.isEmpty()) {
            return;
        }
        objects.add(new ObjectChange(id.toString(), Change.CHANGED, summarised(fields)));
        if (BMH_GROUP.equals(id.group()) && "BareMetalHost".equals(id.kind())) {
            String host = id.namespace() + "/" + id.name();
            hostField(host, "provisioning state", x.path("status").path("provisioning").path("state"), y.path("status").path("provisioning").path("state"), hosts);
            hostField(host, "Ironic ID", x.path("status").path("provisioning").path("ID"), y.path("status").path("provisioning").path("ID"), hosts);
        }
    }

    private static void hostField(String host, String field, JsonNode before, JsonNode after, List<HostChange> hosts) {
        String x = before.isValueNode() ? before.asText() : null;
        String y = after.isValueNode() ? after.asText() : null;
        if (!Objects.equals(x, y)) {
            hosts.add(new HostChange(host, field, x, y));
        }
    }

    /** What is compared of an object: all but the server's bookkeeping, and owners by kind and name. */
    static ObjectNode comparable(ObjectNode o) {
        ObjectNode c = o.deepCopy();
        c.remove("metadata");
        ObjectNode meta = (ObjectNode) o.path("metadata");
        ObjectNode kept = c.putObject("metadata");
        for (String f : List.of("labels", "annotations", "finalizers")) {
            if (meta.has(f)) {
                kept.set(f, meta.get(f));
            }
        }
        if (meta.has("ownerReferences")) {
            var owners = kept.putArray("ownerReferences");
            meta.get("ownerReferences").forEach(r -> owners.addObject().put("kind", r.path("kind").asText()).put("name", r.path("name").asText()));
        }
        return c;
    }

    private static List<String> summarised(List<String> fields) {
        if (fields.size() <= FieldPaths.MAX_PATHS) {
            return fields;
        }
        List<String> out = new ArrayList<>(fields.subList(0, FieldPaths.MAX_PATHS));
        out.add("... and " + (fields.size() - FieldPaths.MAX_PATHS) + " more");
        return out;
    }

    /** Leases by MAC (IAID for IPv6): address or hostname changes count, expiry does not (dnsmasq renews it all the time). */
    private static List<LeaseChange> leases(LoadedArchive a, LoadedArchive b) {
        Map<String, String> before = leaseMap(a);
        Map<String, String> after = leaseMap(b);
        Set<String> macs = new TreeSet<>(before.keySet());
        macs.addAll(after.keySet());
        List<LeaseChange> out = new ArrayList<>();
        for (String mac : macs) {
            String x = before.get(mac);
            String y = after.get(mac);
            if (x == null || y == null) {
                out.add(new LeaseChange(mac, x == null ? Change.ADDED : Change.REMOVED, x, y));
            } else if (!x.equals(y)) {
                out.add(new LeaseChange(mac, Change.CHANGED, x, y));
            }
        }
        return out;
    }

    private static Map<String, String> leaseMap(LoadedArchive archive) {
        Map<String, String> out = new TreeMap<>();
        archive.leases().ifPresent(raw -> {
            for (Lease l : LeaseFile.parse(raw).leases()) {
                String key = l.ipv6() ? l.macOrIaid() : l.normalizedMac();
                out.put(key, l.ip() + (l.hostname() == null ? "" : " " + l.hostname()));
            }
        });
        return out;
    }

    /** The Secrets that changed, and how many could not be decided without a key. */
    private record SecretComparison(List<ObjectChange> changes, int undecided) {

        /** Both archives decrypted: the content's digest decides; what changed is named by path, never shown. */
        static SecretComparison byContent(Map<ObjectId, ArchivedObject> before, Map<ObjectId, ArchivedObject> after) {
            List<ObjectChange> out = new ArrayList<>();
            for (Map.Entry<ObjectId, ArchivedObject> e : before.entrySet()) {
                ArchivedObject y = after.get(e.getKey());
                if (!e.getKey().isSecret() || e.getValue() == null || y == null) {
                    continue;
                }
                ObjectNode x = comparable(e.getValue().object());
                ObjectNode z = comparable(y.object());
                if (!digest(x).equals(digest(z))) {
                    out.add(new ObjectChange(e.getKey().toString(), Change.CHANGED, summarised(FieldPaths.changed(x, z, ""))));
                }
            }
            return new SecretComparison(out, 0);
        }

        /**
         * Without a key: equal manifest digests (the same ciphertext) are equal; otherwise a changed description (type, labels,
         * annotations, owners, data keys) is a change, and an unchanged one cannot be decided.
         */
        static SecretComparison byManifest(Manifest a, Manifest b) {
            Map<String, Manifest.SecretInfo> infoB = new TreeMap<>();
            b.secrets().forEach(s -> infoB.put(s.namespace() + "/" + s.name(), s));
            Map<String, String> digestB = digests(b);
            Map<String, String> digestA = digests(a);
            List<ObjectChange> out = new ArrayList<>();
            int undecided = 0;
            for (Manifest.SecretInfo x : a.secrets()) {
                Manifest.SecretInfo y = infoB.get(x.namespace() + "/" + x.name());
                if (y == null || Objects.equals(digestA.get(x.path()), digestB.get(y.path()))) {
                    continue;
                }
                List<String> fields = FieldPaths.changed(description(x), description(y), "");
                if (fields.isEmpty()) {
                    undecided++;
                } else {
                    out.add(new ObjectChange(new ObjectId("", "Secret", x.namespace(), x.name()).toString(), Change.CHANGED, fields));
                }
            }
            return new SecretComparison(out, undecided);
        }

        private static Map<String, String> digests(Manifest m) {
            Map<String, String> out = new TreeMap<>();
            m.entries().forEach(e -> out.put(e.path(), e.sha256()));
            return out;
        }

        private static JsonNode description(Manifest.SecretInfo s) {
            ObjectNode d = Json.MAPPER.createObjectNode();
            d.put("type", s.type());
            d.set("metadata", Json.MAPPER.createObjectNode().setAll(Map.of("labels", Json.MAPPER.valueToTree(s.labels()),
                    "annotations", Json.MAPPER.valueToTree(s.annotations()), "ownerReferences", Json.MAPPER.valueToTree(
                            s.ownerReferences().stream().map(r -> Map.of("kind", String.valueOf(r.kind()), "name", String.valueOf(r.name()))).toList()))));
            d.set("dataKeys", Json.MAPPER.valueToTree(new TreeSet<>(s.dataKeys())));
            return d;
        }

        private static String digest(ObjectNode comparable) {
            return Digests.sha256(Json.toJson(Json.canonical(comparable)).getBytes(StandardCharsets.UTF_8));
        }
    }
}

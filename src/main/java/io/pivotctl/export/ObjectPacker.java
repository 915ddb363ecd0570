package io.pivotctl.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.archive.CompactBytes;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.graph.Edge;
import io.pivotctl.graph.LinkedObject;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ObjectFields;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.vocabulary.ClusterApi;
import io.pivotctl.vocabulary.Kubernetes;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Turns one listed object into its {@link PackedObject} while the tree is at hand: serialised once to its entry
 * bytes (YAML, format section 2.1), Secrets encrypted, read back by the self-check, then kept deflated (a Secret
 * as ciphertext only; its plaintext is zeroed). The tree is dropped by the caller, so export's memory grows by
 * the packed bytes and a small skeleton per object, not by the objects.
 */
final class ObjectPacker {

    /** The labels selection reads. */
    private static final List<String> SELECTION_LABELS = List.of(ClusterApi.MOVE, ClusterApi.MOVE_HIERARCHY, Metal3.ENVIRONMENT);
    /** The annotations pausing reads. */
    private static final List<String> PAUSE_ANNOTATIONS = List.of(Metal3.HOST_PAUSED, PivotctlMarks.PAUSED_BY, ClusterApi.BLOCK_MOVE);

    private final UnaryOperator<byte[]> encrypt;
    private final Function<JsonNode, byte[]> serializer;
    private final ExportSelfCheck selfCheck;
    /** Group, kind, namespace and link field strings are shared by thousands of objects: one copy each. */
    private final Map<String, String> names = new ConcurrentHashMap<>();

    ObjectPacker(UnaryOperator<byte[]> encrypt, Function<JsonNode, byte[]> serializer, ExportSelfCheck selfCheck) {
        this.encrypt = encrypt;
        this.serializer = serializer;
        this.selfCheck = selfCheck;
    }

    PackedObject pack(ObjectNode object, ResourceType type) {
        ObjectCleaner.stripBookkeeping(object);
        JsonNode meta = object.path("metadata");
        Map<String, String> annotations = pick(meta.path("annotations"), PAUSE_ANNOTATIONS);
        Pauser.dropPauseMarker(object); // export's own bookkeeping on a Cluster it paused is never archived
        Map<String, String> labels = pick(meta.path("labels"), SELECTION_LABELS);
        JsonNode paused = object.path("spec").get("paused");
        String mac = "BareMetalHost".equals(type.kind()) ? object.path("spec").path("bootMACAddress").asText(null) : null;
        LinkedObject linked = shared(LinkedObject.of(object));
        boolean secret = linked.id().isSecret();
        byte[] plain = serializer.apply(object);
        CompactBytes packed;
        List<String> readBack;
        Manifest.SecretInfo info = null;
        if (secret) {
            byte[] ciphertext = encrypt.apply(plain);
            Arrays.fill(plain, (byte) 0);
            readBack = selfCheck.differences(object, ciphertext, true);
            packed = CompactBytes.of(ciphertext); // ciphertext does not shrink, but one kind of holder keeps both cases simple
            info = secretInfo(object, linked.id());
        } else {
            readBack = selfCheck.differences(object, plain, false);
            packed = CompactBytes.of(plain);
        }
        return PackedObject.of(linked, type).resourceVersion(meta.path("resourceVersion").asText("")).labels(labels).annotations(annotations)
                .specPaused(paused == null || paused.isNull() ? null : paused.asBoolean(false)).deleting(meta.hasNonNull("deletionTimestamp"))
                .bootMac(mac).hasStatus(ObjectFields.hasStatus(object)).entry(packed, readBack).secretInfo(info).build();
    }

    /** The entry's bytes, as they were read back when the object was packed. */
    static byte[] entryBytes(PackedObject p) {
        return p.packed().bytes();
    }

    private LinkedObject shared(LinkedObject l) {
        List<Edge> links = new ArrayList<>(l.links().size());
        ObjectId self = shared(l.id());
        for (Edge e : l.links()) {
            links.add(new Edge(self, shared(e.to()), e.type(), e.controller(), name(e.field())));
        }
        List<LinkedObject.Owner> owners = new ArrayList<>(l.owners().size());
        for (LinkedObject.Owner o : l.owners()) {
            owners.add(new LinkedObject.Owner(name(o.kind()), o.name(), o.uid(), o.controller()));
        }
        return new LinkedObject(self, l.uid(), List.copyOf(links), List.copyOf(owners));
    }

    private ObjectId shared(ObjectId id) {
        return new ObjectId(name(id.group()), name(id.kind()), name(id.namespace()), id.name());
    }

    private String name(String s) {
        return names.computeIfAbsent(s, k -> k);
    }

    private static Map<String, String> pick(JsonNode map, List<String> keys) {
        Map<String, String> out = null;
        for (String k : keys) {
            JsonNode v = map.get(k);
            if (v != null && !v.isNull()) {
                if (out == null) {
                    out = new TreeMap<>();
                }
                out.put(k, v.asText());
            }
        }
        return out == null ? Map.of() : out;
    }

    /** The manifest's description of a Secret: names, labels, annotations, owners and data keys, never values. */
    private static Manifest.SecretInfo secretInfo(JsonNode secret, ObjectId id) {
        JsonNode meta = secret.path("metadata");
        Map<String, String> annotations = strings(meta.path("annotations"));
        annotations.remove(Kubernetes.LAST_APPLIED);
        List<String> keys = new ArrayList<>();
        secret.path("data").fieldNames().forEachRemaining(keys::add);
        secret.path("stringData").fieldNames().forEachRemaining(k -> {
            if (!keys.contains(k)) {
                keys.add(k);
            }
        });
        keys.sort(null);
        List<Manifest.OwnerRef> owners = new ArrayList<>();
        for (JsonNode o : meta.path("ownerReferences")) {
            owners.add(new Manifest.OwnerRef(o.path("apiVersion").asText(), o.path("kind").asText(), o.path("name").asText(),
                    o.path("uid").asText(null), o.has("controller") ? o.get("controller").asBoolean() : null));
        }
        return new Manifest.SecretInfo(id.namespace(), id.name(), secret.path("type").asText("Opaque"), strings(meta.path("labels")),
                annotations, owners, keys, EntryPaths.secret(id.namespace(), id.name()));
    }

    private static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}

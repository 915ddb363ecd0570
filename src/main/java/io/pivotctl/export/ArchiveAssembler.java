package io.pivotctl.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.archive.ArchiveWriter;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ObjectFields;
import io.pivotctl.kube.ResourceType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Turns selected objects into archive entries: objects as YAML (re-serialised on demand, so the
 * writer's two passes do not hold every object's text at once), Secrets encrypted once each, their
 * non-sensitive metadata for the manifest, CRDs and the lease file.
 */
final class ArchiveAssembler {

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private final UnaryOperator<byte[]> encrypt;
    private final Function<JsonNode, byte[]> serializer;
    private final ExportSelfCheck selfCheck;
    private final List<ArchiveWriter.Source> sources = new ArrayList<>();
    private final List<Manifest.SecretInfo> secrets = new ArrayList<>();
    private final Map<String, Integer> perKind = new TreeMap<>();

    ArchiveAssembler(UnaryOperator<byte[]> encrypt, Function<JsonNode, byte[]> serializer, ExportSelfCheck selfCheck) {
        this.encrypt = encrypt;
        this.serializer = serializer;
        this.selfCheck = selfCheck;
    }

    /** Adds every object; Secrets are encrypted on all cores first (one X25519 agreement each), then added in order. */
    void addObjects(List<ObjectNode> objects, java.util.function.Function<ObjectId, ResourceType> typeOf) {
        byte[][] sealed = new byte[objects.size()][];
        java.util.stream.IntStream.range(0, objects.size()).parallel().filter(i -> ObjectId.of(objects.get(i)).isSecret()).forEach(i -> {
            byte[] plain = serializer.apply(ObjectCleaner.stripBookkeeping(objects.get(i)));
            sealed[i] = encrypt.apply(plain);
            java.util.Arrays.fill(plain, (byte) 0);
        });
        for (int i = 0; i < objects.size(); i++) {
            ObjectNode o = ObjectCleaner.stripBookkeeping(objects.get(i));
            ObjectId id = ObjectId.of(o);
            perKind.merge(id.qualifiedKind(), 1, Integer::sum);
            if (id.isSecret()) {
                addSealedSecret(o, id, sealed[i]);
            } else {
                addPlainObject(o, id, typeOf.apply(id));
            }
        }
    }

    private void addPlainObject(ObjectNode object, ObjectId id, ResourceType type) {
        Manifest.Entry entry = new Manifest.Entry(EntryPaths.object(id.group(), type.version(), id.kind(), id.namespace(), id.name()),
                Manifest.Entry.OBJECT, id.group(), type.version(), id.kind(), type.plural(), id.namespace(), id.name(), 0, null, false,
                ObjectFields.hasStatus(object));
        sources.add(new ArchiveWriter.Source(entry, () -> serializer.apply(object)));
        selfCheck.expect(entry.path(), object, false);
    }

    private void addSealedSecret(ObjectNode secret, ObjectId id, byte[] sealed) {
        String path = EntryPaths.secret(id.namespace(), id.name());
        selfCheck.expect(path, secret, true);
        sources.add(new ArchiveWriter.Source(new Manifest.Entry(path, Manifest.Entry.SECRET, "", "v1", "Secret", "secrets",
                id.namespace(), id.name(), 0, null, true, false), () -> sealed));
        JsonNode meta = secret.path("metadata");
        Map<String, String> annotations = strings(meta.path("annotations"));
        annotations.remove(LAST_APPLIED);
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
        secrets.add(new Manifest.SecretInfo(id.namespace(), id.name(), secret.path("type").asText("Opaque"), strings(meta.path("labels")),
                annotations, owners, keys, path));
    }

    void addCrd(ObjectNode crd) {
        ObjectNode clean = ObjectCleaner.crdForArchive(crd);
        String name = clean.path("metadata").path("name").asText();
        sources.add(new ArchiveWriter.Source(new Manifest.Entry(EntryPaths.crd(name), Manifest.Entry.CRD, "apiextensions.k8s.io", "v1",
                "CustomResourceDefinition", "customresourcedefinitions", "", name, 0, null, false, false), () -> ObjectCleaner.yaml(clean)));
    }

    void addLeases(byte[] raw) {
        sources.add(new ArchiveWriter.Source(new Manifest.Entry(EntryPaths.LEASES, Manifest.Entry.LEASES, null, null, null, null, null, null,
                0, null, false, false), () -> raw));
    }

    void addArchiveIdentity(byte[] passphraseSealedIdentity) {
        sources.add(new ArchiveWriter.Source(new Manifest.Entry(EntryPaths.ARCHIVE_IDENTITY, Manifest.Entry.KEY, null, null, null, null,
                null, null, 0, null, true, false), () -> passphraseSealedIdentity));
    }

    List<ArchiveWriter.Source> sources() {
        return sources;
    }

    List<Manifest.SecretInfo> secrets() {
        return secrets;
    }

    Map<String, Integer> perKind() {
        return perKind;
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

package io.pivotctl.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.archive.ArchiveWriter;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns selected objects into archive entries: each object's bytes as packed when it was listed (inflated on
 * demand, so the writer's two passes hold one entry at a time), Secrets as their ciphertext, their non-sensitive
 * metadata for the manifest, CRDs and the lease file.
 */
final class ArchiveAssembler {

    private final List<ArchiveWriter.Source> sources = new ArrayList<>();
    private final List<Manifest.SecretInfo> secrets = new ArrayList<>();
    private final Map<String, Integer> perKind = new TreeMap<>();

    /** Adds every object, in the order given. */
    void addObjects(List<PackedObject> objects) {
        for (PackedObject p : objects) {
            ObjectId id = p.id();
            perKind.merge(id.qualifiedKind(), 1, Integer::sum);
            if (p.secret()) {
                sources.add(new ArchiveWriter.Source(new Manifest.Entry(p.entryPath(), Manifest.Entry.SECRET, "", "v1", "Secret", "secrets",
                        id.namespace(), id.name(), 0, null, true, false), () -> ObjectPacker.entryBytes(p)));
                secrets.add(p.secretInfo());
            } else {
                ResourceType type = p.type();
                Manifest.Entry entry = new Manifest.Entry(p.entryPath(), Manifest.Entry.OBJECT, id.group(), type.version(), id.kind(),
                        type.plural(), id.namespace(), id.name(), 0, null, false, p.hasStatus());
                sources.add(new ArchiveWriter.Source(entry, () -> ObjectPacker.entryBytes(p)));
            }
        }
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
}

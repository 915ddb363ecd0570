package io.pivotctl.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.archive.ArchiveWriter;
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
                sources.add(new ArchiveWriter.Source(Manifest.Entry.secret(id.namespace(), id.name()), () -> ObjectPacker.entryBytes(p)));
                secrets.add(p.secretInfo());
            } else {
                ResourceType type = p.type();
                Manifest.Entry entry = Manifest.Entry.object(new Manifest.Entry.ResourceKind(id.group(), type.version(), id.kind(), type.plural()),
                        id.namespace(), id.name(), p.hasStatus());
                sources.add(new ArchiveWriter.Source(entry, () -> ObjectPacker.entryBytes(p)));
            }
        }
    }

    void addCrd(ObjectNode crd) {
        ObjectNode clean = ObjectCleaner.crdForArchive(crd);
        String name = clean.path("metadata").path("name").asText();
        sources.add(new ArchiveWriter.Source(Manifest.Entry.crd(name), () -> ObjectCleaner.yaml(clean)));
    }

    void addLeases(byte[] raw) {
        sources.add(new ArchiveWriter.Source(Manifest.Entry.leases(), () -> raw));
    }

    void addArchiveIdentity(byte[] passphraseSealedIdentity) {
        sources.add(new ArchiveWriter.Source(Manifest.Entry.archiveIdentity(), () -> passphraseSealedIdentity));
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

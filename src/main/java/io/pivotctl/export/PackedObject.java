package io.pivotctl.export;

import io.pivotctl.archive.CompactBytes;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.graph.LinkedObject;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceType;
import java.util.List;
import java.util.Map;

/**
 * One listed object as export holds it until the archive is written: its archive bytes, made and read back once
 * when the object was listed (deflated YAML; a Secret's age ciphertext, never its plaintext), plus the few facts
 * selection, pausing and the graph need. A fleet's objects as trees would not fit a small heap; these do.
 *
 * @param labels only the labels selection reads (move, move-hierarchy, baremetal environment)
 * @param annotations only the annotations pausing reads, as the server had them (before the pause marker is dropped)
 * @param specPaused {@code spec.paused}, null when the object has no such field
 * @param readBack empty when the entry reads back as the server returned the object; else the differing fields
 * @param secretInfo the manifest's description of a Secret, null for other objects
 */
record PackedObject(LinkedObject linked, ResourceType type, String resourceVersion, Map<String, String> labels,
        Map<String, String> annotations, Boolean specPaused, boolean deleting, String bootMac, boolean hasStatus,
        CompactBytes packed, List<String> readBack, Manifest.SecretInfo secretInfo) {

    PackedObject withLinked(LinkedObject other) {
        return new PackedObject(other, type, resourceVersion, labels, annotations, specPaused, deleting, bootMac, hasStatus, packed,
                readBack, secretInfo);
    }

    /** The length of the entry's bytes. */
    int size() {
        return packed.length();
    }

    ObjectId id() {
        return linked.id();
    }

    String uid() {
        return linked.uid();
    }

    boolean secret() {
        return secretInfo != null;
    }

    String entryPath() {
        ObjectId id = id();
        return secret() ? EntryPaths.secret(id.namespace(), id.name()) : EntryPaths.object(id.group(), type.version(), id.kind(), id.namespace(), id.name());
    }
}

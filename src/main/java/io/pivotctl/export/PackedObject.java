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

    /** Built by name: {@code PackedObject.of(linked, type).entry(packed, readBack)...build()}. */
    static Builder of(LinkedObject linked, ResourceType type) {
        return new Builder(linked, type);
    }

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

    /** Defaults: no resourceVersion, labels or annotations, no spec.paused, not deleting, no boot MAC, no status, not a Secret. */
    static final class Builder {
        private final LinkedObject linked;
        private final ResourceType type;
        private String resourceVersion = "";
        private Map<String, String> labels = Map.of();
        private Map<String, String> annotations = Map.of();
        private Boolean specPaused;
        private boolean deleting;
        private String bootMac;
        private boolean hasStatus;
        private CompactBytes packed;
        private List<String> readBack = List.of();
        private Manifest.SecretInfo secretInfo;

        private Builder(LinkedObject linked, ResourceType type) {
            this.linked = linked;
            this.type = type;
        }

        Builder resourceVersion(String value) {
            this.resourceVersion = value;
            return this;
        }

        Builder labels(Map<String, String> value) {
            this.labels = value;
            return this;
        }

        Builder annotations(Map<String, String> value) {
            this.annotations = value;
            return this;
        }

        Builder specPaused(Boolean value) {
            this.specPaused = value;
            return this;
        }

        Builder deleting(boolean value) {
            this.deleting = value;
            return this;
        }

        Builder bootMac(String value) {
            this.bootMac = value;
            return this;
        }

        Builder hasStatus(boolean value) {
            this.hasStatus = value;
            return this;
        }

        /** The archive bytes and what reading them back found different. */
        Builder entry(CompactBytes bytes, List<String> differences) {
            this.packed = bytes;
            this.readBack = differences;
            return this;
        }

        Builder secretInfo(Manifest.SecretInfo value) {
            this.secretInfo = value;
            return this;
        }

        PackedObject build() {
            return new PackedObject(linked, type, resourceVersion, labels, annotations, specPaused, deleting, bootMac, hasStatus, packed,
                    readBack, secretInfo);
        }
    }
}

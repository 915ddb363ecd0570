package io.pivotctl.export;

import io.pivotctl.archive.Manifest;
import io.pivotctl.storage.ArchiveLocation;
import java.util.List;
import java.util.Map;

/**
 * The result of an export: the archive written, what it holds, and what to look at. Built by name:
 * {@code ExportSummary.of(archive, manifest).objectsPerKind(...)...build()}.
 */
public record ExportSummary(ArchiveLocation archive, Manifest manifest, Map<String, Integer> objectsPerKind, int secretsEncrypted,
        int leases, List<String> pausedByUs, List<String> warnings, List<LeftOut> leftOut, long millis) {

    public ExportSummary {
        objectsPerKind = Map.copyOf(objectsPerKind);
        pausedByUs = List.copyOf(pausedByUs);
        warnings = List.copyOf(warnings);
        leftOut = List.copyOf(leftOut);
    }

    public static Builder of(ArchiveLocation archive, Manifest manifest) {
        return new Builder(archive, manifest);
    }

    public int objectCount() {
        return objectsPerKind.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Defaults: nothing counted, paused, warned about or left out. */
    public static final class Builder {
        private final ArchiveLocation archive;
        private final Manifest manifest;
        private Map<String, Integer> objectsPerKind = Map.of();
        private int secretsEncrypted;
        private int leases;
        private List<String> pausedByUs = List.of();
        private List<String> warnings = List.of();
        private List<LeftOut> leftOut = List.of();
        private long millis;

        private Builder(ArchiveLocation archive, Manifest manifest) {
            this.archive = archive;
            this.manifest = manifest;
        }

        public Builder objectsPerKind(Map<String, Integer> value) {
            this.objectsPerKind = value;
            return this;
        }

        public Builder secretsEncrypted(int value) {
            this.secretsEncrypted = value;
            return this;
        }

        /** The number of dnsmasq leases archived. */
        public Builder leases(int value) {
            this.leases = value;
            return this;
        }

        /** The objects this export paused (--pause), as "Kind.group namespace/name". */
        public Builder pausedByUs(List<String> value) {
            this.pausedByUs = value;
            return this;
        }

        public Builder warnings(List<String> value) {
            this.warnings = value;
            return this;
        }

        public Builder leftOut(List<LeftOut> value) {
            this.leftOut = value;
            return this;
        }

        public Builder millis(long value) {
            this.millis = value;
            return this;
        }

        public ExportSummary build() {
            return new ExportSummary(archive, manifest, objectsPerKind, secretsEncrypted, leases, pausedByUs, warnings, leftOut, millis);
        }
    }
}

package io.pivotctl.export;

import io.pivotctl.archive.Manifest;
import io.pivotctl.storage.ArchiveLocation;
import java.util.List;
import java.util.Map;

/** The result of an export: the archive written, what it holds, and what to look at. */
public record ExportSummary(ArchiveLocation archive, Manifest manifest, Map<String, Integer> objectsPerKind, int secretsEncrypted,
        int leases, List<String> pausedByUs, List<String> warnings, List<LeftOut> leftOut, long millis) {

    public ExportSummary {
        objectsPerKind = Map.copyOf(objectsPerKind);
        pausedByUs = List.copyOf(pausedByUs);
        warnings = List.copyOf(warnings);
        leftOut = List.copyOf(leftOut);
    }

    public int objectCount() {
        return objectsPerKind.values().stream().mapToInt(Integer::intValue).sum();
    }
}

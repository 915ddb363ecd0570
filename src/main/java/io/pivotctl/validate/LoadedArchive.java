package io.pivotctl.validate;

import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.Summary;
import io.pivotctl.archive.ValidationReport;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated archive: its manifest, every object held compactly (Secrets decrypted when a key was given; each
 * {@link ArchivedObject#object()} parses again), the verified small entries (lease file, CRDs, archive identity) by
 * path, whether it was signed, what the read holds in memory ({@code heldBytes}), and its summary as read.
 */
public record LoadedArchive(Manifest manifest, List<ArchivedObject> objects, Map<String, byte[]> otherEntries, boolean signed,
        ValidationReport report, boolean secretsDecrypted, long heldBytes, Summary summary) {

    public LoadedArchive {
        objects = List.copyOf(objects);
        otherEntries = Map.copyOf(otherEntries);
    }

    public Optional<byte[]> leases() {
        return Optional.ofNullable(otherEntries.get(EntryPaths.LEASES));
    }

    public Optional<byte[]> crd(String name) {
        return Optional.ofNullable(otherEntries.get(EntryPaths.crd(name)));
    }

    @Override
    public String toString() {
        return "LoadedArchive[" + manifest.archiveId() + ", " + objects.size() + " objects]";
    }
}

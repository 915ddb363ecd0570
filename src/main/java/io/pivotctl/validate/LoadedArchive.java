package io.pivotctl.validate;

import io.pivotctl.archive.ArchiveContents;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.ValidationReport;
import java.util.List;
import java.util.Optional;

/** A validated archive: its manifest, every object (Secrets decrypted when a key was given), the lease file. */
public record LoadedArchive(Manifest manifest, List<ArchivedObject> objects, ArchiveContents contents, ValidationReport report,
        boolean secretsDecrypted) {

    public LoadedArchive {
        objects = List.copyOf(objects);
    }

    public Optional<byte[]> leases() {
        return contents.entry(EntryPaths.LEASES);
    }

    public Optional<byte[]> crd(String name) {
        return contents.entry(EntryPaths.crd(name));
    }

    @Override
    public String toString() {
        return "LoadedArchive[" + manifest.archiveId() + ", " + objects.size() + " objects]";
    }
}

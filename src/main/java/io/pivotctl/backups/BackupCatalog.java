package io.pivotctl.backups;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.Summary;
import io.pivotctl.storage.ArchiveStore;
import io.pivotctl.storage.StoredObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What a backup location holds, from each archive's summary only (no archive is downloaded whole). */
public final class BackupCatalog {

    private BackupCatalog() {
    }

    /** Every object in the store, archives newest first, then whatever is not an archive. */
    public static List<BackupEntry> list(ArchiveStore store) {
        List<BackupEntry> out = new ArrayList<>();
        for (StoredObject o : store.list()) {
            out.add(entry(store, o));
        }
        out.sort(Comparator.comparing(BackupEntry::isArchive).reversed()
                .thenComparing(e -> e.createdAt() == null ? Instant.EPOCH : Instant.parse(e.createdAt()), Comparator.reverseOrder())
                .thenComparing(BackupEntry::name));
        return out;
    }

    /**
     * One stored object as a row: from the archive's summary alone (a ranged read of a few KB; a 1.0 archive's manifest
     * streamed), or why it is not a readable archive. Reading one object never fails the listing.
     */
    static BackupEntry entry(ArchiveStore store, StoredObject o) {
        try {
            Summary s = store.readHead(o).summary();
            return BackupEntry.archive(o, s, Instant.parse(s.createdAt()).toString());
        } catch (PivotctlException e) {
            return BackupEntry.notAnArchive(o, e.getMessage());
        } catch (DateTimeParseException | NullPointerException e) {
            return BackupEntry.notAnArchive(o, "not a pivotctl archive: its summary lacks a creation time, source or encryption");
        }
    }
}

package io.pivotctl.backups;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.Summary;
import io.pivotctl.storage.ArchiveStore;
import io.pivotctl.storage.StoredObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** What a backup location holds, from each archive's summary only (no archive is downloaded whole). */
public final class BackupCatalog {

    private BackupCatalog() {
    }

    /**
     * Every object in the store: archives newest first by their proven time ({@link ArchiveTime}), then the
     * future-dated ones (never shown as newest), then whatever is not an archive.
     */
    public static List<BackupEntry> list(ArchiveStore store, Instant now) {
        List<BackupEntry> out = new ArrayList<>();
        for (StoredObject o : store.list()) {
            out.add(entry(store, o, now));
        }
        out.sort(Comparator.comparing(BackupEntry::isArchive).reversed()
                .thenComparing(BackupEntry::futureDated)
                .thenComparing(BackupCatalog::provenTime, Comparator.reverseOrder())
                .thenComparing(BackupEntry::name));
        return out;
    }

    /** The creation time bounded by the stored time; epoch for what is not an archive. */
    static Instant provenTime(BackupEntry e) {
        return e.createdAt() == null ? Instant.EPOCH : ArchiveTime.proven(Instant.parse(e.createdAt()),
                e.lastModified() == null || e.lastModified().equals("null") ? null : Instant.parse(e.lastModified()));
    }

    /**
     * The history an archive belongs to, as the command line that made it would select it: its source cluster (the
     * server when the id could not be read) and its selection, e.g. {@code source 6f0e... -n metal3 --cluster metal3/prod-a}.
     */
    public static String groupOf(Manifest.Source source, Manifest.Selection s) {
        String id = source.clusterId();
        StringBuilder g = new StringBuilder("source ").append(id == null || id.isBlank() || "unknown".equals(id) ? source.server() : id);
        if (s == null) {
            return g.toString();
        }
        if (s.allNamespaces()) {
            g.append(" -A");
        }
        new TreeSet<>(s.namespaces() == null ? List.<String>of() : s.namespaces()).forEach(ns -> g.append(" -n ").append(ns));
        new TreeSet<>(s.clusters() == null ? List.<String>of() : s.clusters()).forEach(c -> g.append(" --cluster ").append(c));
        return g.toString();
    }

    /**
     * One stored object as a row: from the archive's summary alone (a ranged read of a few KB; a 1.0 archive's manifest
     * streamed), or why it is not a readable archive. Reading one object never fails the listing.
     */
    static BackupEntry entry(ArchiveStore store, StoredObject o, Instant now) {
        try {
            Summary s = store.readHead(o).summary();
            Instant created = Instant.parse(s.createdAt());
            return BackupEntry.archive(o, s, created.toString(), ArchiveTime.futureDated(created, o.lastModified(), now));
        } catch (PivotctlException e) {
            return BackupEntry.notAnArchive(o, e.getMessage());
        } catch (DateTimeParseException | NullPointerException e) {
            return BackupEntry.notAnArchive(o, "not a pivotctl archive: its summary lacks a creation time, source or encryption");
        }
    }
}

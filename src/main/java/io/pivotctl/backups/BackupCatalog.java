package io.pivotctl.backups;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.ManifestCodec;
import io.pivotctl.storage.ArchiveStore;
import io.pivotctl.storage.ManifestHead;
import io.pivotctl.storage.StoredObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** What a backup location holds, from each archive's manifest only (no archive is downloaded whole). */
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
    public static String groupOf(Manifest m) {
        String id = m.source().clusterId();
        StringBuilder g = new StringBuilder("source ").append(id == null || id.isBlank() || "unknown".equals(id) ? m.source().server() : id);
        Manifest.Selection s = m.selection();
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

    static BackupEntry entry(ArchiveStore store, StoredObject o, Instant now) {
        try {
            ManifestHead head = store.readHead(o);
            Manifest m = ManifestCodec.parse(head.manifestBytes());
            Instant created = Instant.parse(m.createdAt());
            TreeSet<String> clusters = new TreeSet<>(m.selection() == null ? List.of() : m.selection().clusters());
            int objects = 0;
            int hosts = 0;
            for (Manifest.Entry e : m.entries()) {
                if (e.isObject()) {
                    objects++;
                    if ("BareMetalHost".equals(e.kind()) && "metal3.io".equals(e.group())) {
                        hosts++;
                    }
                    if ("Cluster".equals(e.kind()) && "cluster.x-k8s.io".equals(e.group())) {
                        clusters.add(e.namespace() + "/" + e.name());
                    }
                }
            }
            List<String> recipients = m.encryption().recipients().stream()
                    .map(r -> r.label() == null || r.label().isBlank() ? r.publicKey() : r.label() + " " + r.publicKey()).toList();
            return new BackupEntry(o.name(), o.location().toString(), o.size(), String.valueOf(o.lastModified()), created.toString(), m.archiveId(), m.source().server(),
                    m.source().clusterId(), List.copyOf(clusters), objects, hosts, head.signed(), recipients, m.encryption().passphrase(), null,
                    groupOf(m), ArchiveTime.futureDated(created, o.lastModified(), now));
        } catch (PivotctlException e) {
            return notAnArchive(o, e.getMessage());
        } catch (DateTimeParseException | NullPointerException e) {
            return notAnArchive(o, "not a pivotctl archive: its manifest lacks a creation time or source");
        }
    }

    private static BackupEntry notAnArchive(StoredObject o, String why) {
        return new BackupEntry(o.name(), o.location().toString(), o.size(), String.valueOf(o.lastModified()), null, null, null, null, null, 0, 0, false, null,
                false, why, null, false);
    }
}

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

    static BackupEntry entry(ArchiveStore store, StoredObject o) {
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
                    m.source().clusterId(), List.copyOf(clusters), objects, hosts, head.signed(), recipients, m.encryption().passphrase(), null);
        } catch (PivotctlException e) {
            return notAnArchive(o, e.getMessage());
        } catch (DateTimeParseException | NullPointerException e) {
            return notAnArchive(o, "not a pivotctl archive: its manifest lacks a creation time or source");
        }
    }

    private static BackupEntry notAnArchive(StoredObject o, String why) {
        return new BackupEntry(o.name(), o.location().toString(), o.size(), String.valueOf(o.lastModified()), null, null, null, null, null, 0, 0, false, null,
                false, why);
    }
}

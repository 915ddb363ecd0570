package io.pivotctl.backups;

import io.pivotctl.archive.Summary;
import io.pivotctl.storage.StoredObject;
import java.util.List;

/**
 * One row of {@code backups list}: a stored object and, when it is a pivotctl archive, what its summary says.
 * Times are ISO-8601 UTC strings (as in the manifest), so {@code -o json} needs no date module.
 * {@code problem} is set (and the archive fields are null) for anything that is not a readable archive.
 * {@code group} is the history it belongs to for retention: its source cluster and selection
 * ({@link BackupCatalog#groupOf}); {@code futureDated}: its creation time is later than it can have been made
 * ({@link ArchiveTime}). Built by {@link #archive} or {@link #notAnArchive}.
 */
public record BackupEntry(String name, String location, long size, String lastModified, String createdAt, String archiveId,
        String sourceServer, String sourceClusterId, List<String> clusters, int objects, int hosts, boolean signed,
        List<String> recipients, boolean passphrase, String problem, String group, boolean futureDated) {

    public BackupEntry {
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
    }

    /**
     * The row of an archive: its Clusters are those it holds, plus those its selection named (an archive of a Cluster
     * whose objects were all left out still says what it was taken for).
     */
    public static BackupEntry archive(StoredObject o, Summary s, String createdAt, boolean futureDated) {
        java.util.TreeSet<String> clusters = new java.util.TreeSet<>(s.contents().clusters());
        clusters.addAll(s.selection() == null ? List.of() : s.selection().clusters());
        List<String> recipients = s.encryption().recipients().stream()
                .map(r -> r.label() == null || r.label().isBlank() ? r.publicKey() : r.label() + " " + r.publicKey()).toList();
        return new BackupEntry(o.name(), o.location().toString(), o.size(), String.valueOf(o.lastModified()), createdAt, s.archiveId(),
                s.source().server(), s.source().clusterId(), List.copyOf(clusters), s.contents().objects(), s.contents().hosts(),
                s.signature() != null, recipients, s.encryption().passphrase(), null, BackupCatalog.groupOf(s.source(), s.selection()), futureDated);
    }

    /** The row of an object that is not a readable archive, and why. */
    public static BackupEntry notAnArchive(StoredObject o, String why) {
        return new BackupEntry(o.name(), o.location().toString(), o.size(), String.valueOf(o.lastModified()), null, null, null, null, null,
                0, 0, false, null, false, why, null, false);
    }

    public boolean isArchive() {
        return problem == null;
    }
}

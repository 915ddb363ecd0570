package io.pivotctl.backups;

import java.util.List;

/**
 * Times are ISO-8601 UTC strings (as in the manifest), so {@code -o json} needs no date module.
 * One row of {@code backups list}: a stored object and, when it is a pivotctl archive, what its manifest says.
 * {@code problem} is set (and the archive fields are null) for anything that is not a readable archive.
 * {@code group} is the history it belongs to for retention: its source cluster and selection
 * ({@link BackupCatalog#groupOf}); {@code futureDated}: its creation time is later than it can have been made
 * ({@link ArchiveTime}).
 */
public record BackupEntry(String name, String location, long size, String lastModified, String createdAt, String archiveId,
        String sourceServer, String sourceClusterId, List<String> clusters, int objects, int hosts, boolean signed,
        List<String> recipients, boolean passphrase, String problem, String group, boolean futureDated) {

    public BackupEntry {
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
    }

    public boolean isArchive() {
        return problem == null;
    }
}

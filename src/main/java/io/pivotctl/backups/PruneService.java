package io.pivotctl.backups;

import io.pivotctl.storage.ArchiveStore;
import io.pivotctl.storage.IncompleteUpload;
import io.pivotctl.storage.StoredObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code backups prune}: applies a {@link RetentionPolicy} to the archives of one location. Only valid pivotctl
 * archives are candidates (anything else is reported and left alone), the newest archive is always kept, and
 * uploads that never completed and are older than a day (killed exports) are aborted.
 */
public final class PruneService {

    /** An upload younger than this may still be running. */
    public static final Duration STALE_UPLOAD = Duration.ofDays(1);

    /**
     * Incomplete uploads started more than {@code uploadAge} before {@code now} are aborted (normally
     * {@link #STALE_UPLOAD}); a zero age aborts every one, for an operator who knows no export is running.
     */
    public PruneReport prune(ArchiveStore store, RetentionPolicy policy, boolean dryRun, Duration uploadAge, Instant now) {
        List<StoredObject> objects = store.list();
        Map<String, StoredObject> byName = new HashMap<>();
        objects.forEach(o -> byName.put(o.name(), o));
        List<Retention.Candidate> candidates = new ArrayList<>();
        List<String> leftAlone = new ArrayList<>();
        Map<String, BackupEntry> entries = new HashMap<>();
        for (StoredObject o : objects) {
            BackupEntry e = BackupCatalog.entry(store, o);
            if (e.isArchive()) {
                candidates.add(new Retention.Candidate(o.name(), Instant.parse(e.createdAt())));
                entries.put(o.name(), e);
            } else {
                leftAlone.add(o.name() + ": " + e.problem());
            }
        }
        List<PruneReport.Row> kept = new ArrayList<>();
        List<PruneReport.Row> deleted = new ArrayList<>();
        long deletedBytes = 0;
        for (Retention.Decision d : Retention.plan(candidates, policy)) {
            BackupEntry e = entries.get(d.archive().name());
            PruneReport.Row row = new PruneReport.Row(e.name(), e.createdAt(), e.size(), d.reasons());
            if (d.keep()) {
                kept.add(row);
            } else {
                deleted.add(row);
            }
        }
        for (PruneReport.Row row : deleted) {
            if (!dryRun) {
                store.delete(byName.get(row.name()));
            }
            deletedBytes += row.size();
        }
        List<String> aborted = new ArrayList<>();
        for (IncompleteUpload u : store.incompleteUploads()) {
            if (uploadAge.isZero() || (u.initiated() != null && u.initiated().isBefore(now.minus(uploadAge)))) {
                if (!dryRun) {
                    store.abort(u);
                }
                aborted.add(u.toString());
            }
        }
        return new PruneReport(store.toString(), dryRun, kept, deleted, leftAlone, aborted, deletedBytes);
    }
}

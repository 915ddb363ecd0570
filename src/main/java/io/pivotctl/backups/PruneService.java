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
 * {@code backups prune}: applies a {@link RetentionPolicy} to the archives of one location, one history per
 * {@link GroupBy group}. Only valid pivotctl archives are candidates (anything else is reported and left alone), the
 * newest archive of every group is always kept, a future-dated one is kept and named, and uploads that never
 * completed and are older than a day (killed exports) are aborted: only pivotctl-looking keys directly under the
 * location (the store lists nothing else).
 */
public final class PruneService {

    /** An upload younger than this may still be running. */
    public static final Duration STALE_UPLOAD = Duration.ofDays(1);
    /** The group of every archive with {@link GroupBy#NONE}. */
    public static final String ONE_GROUP = "all archives";

    /**
     * Incomplete uploads started more than {@code uploadAge} before {@code now} are aborted (normally
     * {@link #STALE_UPLOAD}); a zero age aborts every one, for an operator who knows no export is running.
     */
    public PruneReport prune(ArchiveStore store, RetentionPolicy policy, GroupBy groupBy, boolean dryRun, Duration uploadAge, Instant now) {
        Map<String, BackupEntry> entries = new HashMap<>();
        Map<String, StoredObject> byName = new HashMap<>();
        List<Retention.Candidate> candidates = new ArrayList<>();
        List<String> leftAlone = new ArrayList<>();
        for (StoredObject o : store.list()) {
            BackupEntry e = BackupCatalog.entry(store, o, now);
            if (!e.isArchive()) {
                leftAlone.add(o.name() + ": " + e.problem());
                continue;
            }
            byName.put(o.name(), o);
            entries.put(o.name(), e);
            candidates.add(new Retention.Candidate(o.name(), BackupCatalog.provenTime(e), groupBy == GroupBy.NONE ? ONE_GROUP : e.group(),
                    e.futureDated()));
        }
        List<PruneReport.Row> kept = new ArrayList<>();
        List<PruneReport.Row> deleted = new ArrayList<>();
        long deletedBytes = 0;
        for (Retention.Decision d : Retention.plan(candidates, policy)) {
            BackupEntry e = entries.get(d.archive().name());
            PruneReport.Row row = new PruneReport.Row(e.name(), e.createdAt(), e.size(), d.archive().group(), e.futureDated(), d.reasons());
            (d.keep() ? kept : deleted).add(row);
        }
        for (PruneReport.Row row : deleted) {
            if (!dryRun) {
                store.delete(byName.get(row.name()));
            }
            deletedBytes += row.size();
        }
        List<String> aborted = abortStale(store, dryRun, uploadAge, now);
        return new PruneReport(store.toString(), dryRun, kept, deleted, leftAlone, aborted, deletedBytes);
    }

    private static List<String> abortStale(ArchiveStore store, boolean dryRun, Duration uploadAge, Instant now) {
        List<String> aborted = new ArrayList<>();
        for (IncompleteUpload u : store.incompleteUploads()) {
            if (uploadAge.isZero() || (u.initiated() != null && u.initiated().isBefore(now.minus(uploadAge)))) {
                if (!dryRun) {
                    store.abort(u);
                }
                aborted.add(u.toString());
            }
        }
        return aborted;
    }
}

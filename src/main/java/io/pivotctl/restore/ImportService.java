package io.pivotctl.restore;

import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.validate.LoadedArchive;

/**
 * {@code pivotctl import}: picks the mode's class, lets it refuse an archive it cannot work with before anything is
 * contacted, connects, and hands it the target. An import or --resume is one transaction ({@link ArchiveImport});
 * --dry-run checks and plans without writing ({@link DryRun}); --rollback undoes a kept journal ({@link JournalRollback}).
 */
public final class ImportService {

    public ImportSummary run(ImportRequest req, LoadedArchive archive, ImportProgress progress, Cancellation cancellation) {
        long start = System.nanoTime();
        ImportJob job = new ImportJob(req, archive, progress);
        ImportMode mode = switch (req.mode()) {
            case IMPORT -> ArchiveImport.fresh(job, cancellation);
            case RESUME -> ArchiveImport.resuming(job, cancellation);
            case DRY_RUN -> new DryRun(job);
            case ROLLBACK -> new JournalRollback(job);
        };
        mode.checkArchive();
        job.requireLeasesForOnlyLeases();
        try (ClusterConnection conn = KubeConnector.connect(req.target())) {
            return mode.run(ImportTarget.connect(conn, job)).took((System.nanoTime() - start) / 1_000_000);
        } finally {
            cancellation.settled();
        }
    }
}

package io.pivotctl.restore;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.Manifest;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.GroupVersionKind;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.validate.LoadedArchive;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@code import --rollback}: undoes what a kept journal records (an import run with --no-rollback, or a rollback cut short). */
final class JournalRollback implements ImportMode {

    private final ImportJob job;

    JournalRollback(ImportJob job) {
        this.job = job;
    }

    /** Nothing is written from the archive: no key is needed. */
    @Override
    public void checkArchive() {
    }

    /** One line per change undone; throws when something could not be undone (the journal is then kept). */
    @Override
    public ImportSummary run(ImportTarget target) {
        Path journalPath = target.journalPath();
        try (Journal journal = Journal.open(journalPath, "--rollback")) {
            if (journal.state().applied()) {
                throw PivotctlException.failed("--rollback: every object of this import is already in place (journal " + journalPath
                        + "): it is not rolled back; run --resume to finish it");
            }
            job.progress().phase("rolling back " + journal.records().stream().filter(r -> r.op() == Journal.Op.CREATE).count()
                    + " journaled creates of " + journalPath);
            Rollback.Report report = new JournalUndo(target, job.namespacesWritten()).undo(journal, typesOf(target.discovery(), job.archive()), Map.of());
            report.leftAlone().forEach(l -> job.progress().warning("left alone: " + l));
            if (!report.failures().isEmpty()) {
                throw new PivotctlException(Outcome.FAILED, "rollback incomplete: " + report.failures().size()
                        + " change(s) could NOT be undone (journal kept at " + journalPath + "; run --rollback again)", report.details());
            }
            return ImportSummary.rolledBack(job.archiveId(), report.undone());
        }
    }

    /** The resources of the archived kinds, as the target serves them: what the journal's lines can name. */
    private static Map<String, ResourceType> typesOf(Discovery discovery, LoadedArchive archive) {
        Map<String, ResourceType> types = new HashMap<>();
        Set<GroupVersionKind> seen = new HashSet<>();
        for (ArchivedObject o : archive.objects()) {
            Manifest.Entry e = o.entry();
            if (seen.add(e.gvk())) {
                discovery.find(e.group(), e.version(), e.kind()).ifPresent(t -> types.put(t.qualifiedResource(), t));
            }
        }
        return types;
    }
}

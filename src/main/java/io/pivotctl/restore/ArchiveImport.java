package io.pivotctl.restore;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.Manifest;
import io.pivotctl.validate.LoadedArchive;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code pivotctl import} and {@code import --resume}, as one transaction: journal, CRDs (--install-crds), preflight
 * (nothing written unless everything checks), leases, namespaces, objects owners-first (each as soon as its owners are
 * in place); then the run is journaled as applied and finishes forward: unpause, finish. Any failure or cancellation
 * before "applied" rolls back everything this run wrote, unless --no-rollback keeps it for --resume ({@link FailedImport}).
 * The two modes differ only in where the journal comes from; a resumed run knows it from its journal ({@link ImportRun#resumes()}).
 */
final class ArchiveImport implements ImportMode {

    private final ImportJob job;
    private final Cancellation cancellation;
    private final Function<Path, Journal> journalAt;

    private ArchiveImport(ImportJob job, Cancellation cancellation, Function<Path, Journal> journalAt) {
        this.job = job;
        this.cancellation = cancellation;
        this.journalAt = journalAt;
    }

    /** import: a new journal, refused when an earlier run left one. */
    static ArchiveImport fresh(ImportJob job, Cancellation cancellation) {
        return new ArchiveImport(job, cancellation, Journal::create);
    }

    /** --resume: the journal an interrupted run kept; what that run did is taken from it and not done again. */
    static ArchiveImport resuming(ImportJob job, Cancellation cancellation) {
        return new ArchiveImport(job, cancellation, path -> Journal.open(path, "--resume"));
    }

    @Override
    public void checkArchive() {
        job.requireKeyForSecrets();
    }

    @Override
    public ImportSummary run(ImportTarget target) {
        boolean writeLeases = LeasesRestore.toWrite(target.api(), job);
        ImportRun run = new ImportRun(journalAt.apply(target.journalPath()), cancellation);
        if (run.resumes()) {
            job.progress().phase("resuming from journal " + target.journalPath() + " (" + run.createdBefore().size() + " objects already created)");
        }
        Transaction tx = new Transaction(job, target, run);
        Applier applier = tx.apply(writeLeases);
        tx.finish();
        return ImportSummary.imported(job.archiveId(), tx.plan, applier.counts.summary(writeLeases), run.warnings());
    }

    /** The steps of one import run, in the order they happen. */
    private static final class Transaction {
        private final ImportJob job;
        private final ImportTarget target;
        private final ImportRun run;
        private final ImportRequest req;
        private PreflightResult plan;

        Transaction(ImportJob job, ImportTarget target, ImportRun run) {
            this.job = job;
            this.target = target;
            this.run = run;
            this.req = job.req();
        }

        /** Everything that is rolled back on failure: CRDs, preflight, leases, namespaces, levels. Ends journaled as applied. */
        Applier apply(boolean writeLeases) {
            Manifest manifest = job.archive().manifest();
            Applier applier = new Applier(target.api(), run, req, manifest.archiveId(),
                    new OwnerLookup(run, archivedUids(job.archive()), target.discovery(), target.api()));
            if (run.isApplied()) {
                plan = preflight();
                return applier; // resuming after every level was in place: only the unpause is left
            }
            try {
                if (req.writesObjects() && req.has(ImportRequest.Flag.INSTALL_CRDS)) {
                    new CrdInstaller(target.api(), target.discovery(), run).install(job.archive(), job.progress());
                }
                if (req.writesObjects()) {
                    plan = preflight();
                }
                if (writeLeases) {
                    job.progress().phase("restoring dnsmasq leases into ConfigMap " + req.leases());
                    new LeasesRestore(target.api(), run).restore(job.archive().leases().orElseThrow(), req.leases(), req.onConflict(), manifest.archiveId());
                }
                if (plan != null) {
                    plan.missingNamespaces().forEach(new Namespaces(target.api(), run)::ensure);
                    plan.levels().forEach(level -> level.forEach(p -> run.knowType(p.type())));
                    applier.applyAll(plan.levels(), manifest.graph(), job.progress());
                }
                run.checkCancelled();
                run.applied();
                return applier;
            } catch (RuntimeException failure) {
                throw new FailedImport(job, target, run).handle(failure);
            }
        }

        /** The preflight; on --resume, what the interrupted run created without hearing back is adopted as created. */
        private PreflightResult preflight() {
            Preflight preflight = new Preflight(target.api(), target.discovery(), req.onConflict());
            PreflightResult result = preflight.require(job.archive(), run.createdBefore(), run.resumes() ? run.runId() : null, job.progress());
            result.levels().forEach(level -> level.stream().filter(p -> result.adopted().contains(p.id())).forEach(run::adoptUnconfirmed));
            Preflight.report(result, job.progress());
            return result;
        }

        /** After every level is in place: unpause and finish. Never rolled back; a failure here is finished by --resume. */
        void finish() {
            if (plan != null && !req.has(ImportRequest.Flag.KEEP_PAUSED)) {
                job.progress().phase("unpausing Clusters and BareMetalHosts to their archived values");
                try {
                    new Unpauser(target.api(), run).unpause(plan, job.archive().manifest());
                } catch (RuntimeException e) {
                    run.journal().close();
                    throw PivotctlException.failed("every object is in place, but unpausing failed: " + FailedImport.reason(e, target, job)
                            + "; the journal is kept at " + run.journal().path() + ": run again with --resume to finish the unpause");
                }
            }
            run.journal().finish();
            run.journal().delete();
            run.warnings().forEach(job.progress()::warning);
        }

        private static Set<String> archivedUids(LoadedArchive archive) {
            Set<String> out = new HashSet<>();
            archive.objects().forEach(o -> out.add(o.uid()));
            return out;
        }
    }
}

package io.pivotctl.restore;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.Manifest;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.validate.LoadedArchive;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code pivotctl import}, as one transaction: journal, CRDs (--install-crds), preflight (nothing written unless
 * everything checks), leases, namespaces, objects owners-first (each as soon as its owners are in place); then the run is journaled as applied and finishes
 * forward: unpause, finish. Any failure or cancellation before "applied" rolls back everything this run wrote,
 * unless --no-rollback keeps it for --resume.
 */
public final class ImportService {

    /** How long a rollback waits for an API server that went away mid-import. */
    static final int ROLLBACK_WAIT_SECONDS = 120;

    public ImportSummary run(ImportRequest req, LoadedArchive archive, ImportProgress progress, Cancellation cancellation) {
        long start = System.nanoTime();
        requireWhatTheScopeNeeds(req, archive);
        try (ClusterConnection conn = KubeConnector.connect(req.target())) {
            ResourceClient api = new ResourceClient(conn);
            Discovery discovery = new Discovery(conn);
            progress.phase("connecting to " + conn.server());
            discovery.serverVersion();
            Path journalPath = Journal.pathFor(archive.manifest().archiveId(), discovery.clusterId());
            if (req.mode() == ImportRequest.Mode.ROLLBACK) {
                List<String> undone = new JournalRollback(api, discovery, progress).undo(journalPath, archive, req);
                return ImportSummary.rolledBack(archive.manifest().archiveId(), undone, millisSince(start));
            }
            boolean writeLeases = leasesToWrite(api, req, archive, progress);
            if (req.mode() == ImportRequest.Mode.DRY_RUN) {
                PreflightResult plan = req.writesObjects() ? preflight(new Preflight(api, discovery, req.onConflict()), archive, req, null, progress) : null;
                return ImportSummary.dryRun(archive.manifest().archiveId(), plan, millisSince(start));
            }
            Journal journal = req.mode() == ImportRequest.Mode.RESUME ? Journal.open(journalPath, "--resume") : Journal.create(journalPath);
            ImportRun run = new ImportRun(journal, cancellation);
            if (req.mode() == ImportRequest.Mode.RESUME) {
                progress.phase("resuming from journal " + journalPath + " (" + run.createdBefore().size() + " objects already created)");
            }
            Transaction tx = new Transaction(api, discovery, run, req, archive, progress);
            Applier applier = tx.apply(writeLeases);
            tx.finish();
            ImportSummary.Counts counts = new ImportSummary.Counts(counts(applier.counts.created()), counts(applier.counts.skipped()),
                    counts(applier.counts.updated()), writeLeases);
            return new ImportSummary(archive.manifest().archiveId(), ImportSummary.Kind.IMPORTED, tx.plan, counts, run.warnings(), millisSince(start));
        } finally {
            cancellation.settled();
        }
    }

    /** The steps of one import run, in the order they happen. */
    private static final class Transaction {
        private final ResourceApi api;
        private final Discovery discovery;
        private final ImportRun run;
        private final ImportRequest req;
        private final LoadedArchive archive;
        private final ImportProgress progress;
        private PreflightResult plan;

        Transaction(ResourceApi api, Discovery discovery, ImportRun run, ImportRequest req, LoadedArchive archive, ImportProgress progress) {
            this.api = api;
            this.discovery = discovery;
            this.run = run;
            this.req = req;
            this.archive = archive;
            this.progress = progress;
        }

        /** Everything that is rolled back on failure: CRDs, preflight, leases, namespaces, levels. Ends journaled as applied. */
        Applier apply(boolean writeLeases) {
            Manifest manifest = archive.manifest();
            Applier applier = new Applier(api, run, req, manifest.archiveId(), new OwnerLookup(run, archivedUids(archive), discovery, api));
            if (run.isApplied()) {
                plan = preflight(new Preflight(api, discovery, req.onConflict()), archive, req, run, progress);
                return applier; // resuming after every level was in place: only the unpause is left
            }
            try {
                if (req.writesObjects() && req.has(ImportRequest.Flag.INSTALL_CRDS)) {
                    new CrdInstaller(api, discovery, run).install(archive, progress);
                }
                if (req.writesObjects()) {
                    plan = preflight(new Preflight(api, discovery, req.onConflict()), archive, req, run, progress);
                }
                LeasesRestore leases = new LeasesRestore(api, run);
                if (writeLeases) {
                    progress.phase("restoring dnsmasq leases into ConfigMap " + req.leases());
                    leases.restore(archive.leases().orElseThrow(), req.leases(), req.onConflict(), manifest.archiveId());
                }
                if (plan != null) {
                    plan.missingNamespaces().forEach(leases::ensureNamespace);
                    plan.levels().forEach(level -> level.forEach(p -> run.knowType(p.type())));
                    applier.applyAll(plan.levels(), manifest.graph(), progress);
                }
                run.checkCancelled();
                run.applied();
                return applier;
            } catch (RuntimeException failure) {
                throw undo(failure);
            }
        }

        /** After every level is in place: unpause and finish. Never rolled back; a failure here is finished by --resume. */
        void finish() {
            if (plan != null && !req.has(ImportRequest.Flag.KEEP_PAUSED)) {
                progress.phase("unpausing Clusters and BareMetalHosts to their archived values");
                try {
                    new Unpauser(api, run).unpause(plan, archive.manifest());
                } catch (RuntimeException e) {
                    run.journal().close();
                    throw PivotctlException.failed("every object is in place, but unpausing failed: " + reason(e, api, archive)
                            + "; the journal is kept at " + run.journal().path() + ": run again with --resume to finish the unpause");
                }
            }
            run.journal().finish();
            run.journal().delete();
            run.warnings().forEach(progress::warning);
        }

        /** Rolls back (or, with --no-rollback, keeps) what the run wrote; returns the exception to throw. */
        private PivotctlException undo(RuntimeException failure) {
            String why = reason(failure, api, archive);
            boolean preflightFailed = failure instanceof PreflightFailed;
            boolean wroteNothing = run.journal().records().stream().allMatch(r -> r.op() == Journal.Op.BEGIN || r.op() == Journal.Op.OPEN);
            if (wroteNothing && req.mode() != ImportRequest.Mode.RESUME) {
                run.journal().delete();
                return preflightFailed ? (PreflightFailed) failure : PivotctlException.failed("import failed: " + why + "; nothing was changed on the target");
            }
            if (req.onFailure() == ImportRequest.OnFailure.KEEP || (preflightFailed && req.mode() == ImportRequest.Mode.RESUME)) {
                run.journal().close();
                return preflightFailed ? (PreflightFailed) failure : PivotctlException.failed("import failed: " + why
                        + "; --no-rollback: what was created stays, journal kept at " + run.journal().path() + "; run again with --resume to finish");
            }
            progress.phase((preflightFailed ? "preflight failed" : "import failed (" + why + ")") + ": rolling back");
            if (!api.awaitReachable(0)) {
                progress.phase("the API server does not answer: waiting up to " + ROLLBACK_WAIT_SECONDS + "s for it to come back to roll back");
                api.awaitReachable(ROLLBACK_WAIT_SECONDS * 1000L);
            }
            run.journal().rollbackStarted();
            Rollback.Report report = new Rollback(api, run.types(), new NamespaceInventory(discovery, api))
                    .run(run.journal().records(), run.previous(), new Rollback.Sweep(run.runId(), JournalRollback.namespacesOf(archive, req)));
            if (report.failures().isEmpty()) {
                run.journal().delete();
            } else {
                run.journal().close();
            }
            String outcome = "rolled back " + report.undone().size() + " change(s)" + (report.leftAlone().isEmpty() ? ""
                    : ", left " + report.leftAlone().size() + " object(s) alone that this import did not create")
                    + (report.failures().isEmpty() ? "" : ", " + report.failures().size() + " could NOT be rolled back (journal kept at "
                            + run.journal().path() + "): run 'pivotctl import " + req.archive() + " --rollback' once the server answers");
            if (preflightFailed && report.failures().isEmpty()) {
                List<String> details = new java.util.ArrayList<>(((PreflightFailed) failure).details());
                details.addAll(report.details());
                return new PivotctlException(Outcome.INVALID, failure.getMessage().replace("nothing was changed on the target",
                        "what was installed before it (" + report.undone().size() + " change(s)) was rolled back"), details);
            }
            return new PivotctlException(Outcome.FAILED, "import failed: " + why + "; " + outcome, report.details());
        }
    }

    /** The preflight; problems end the run before anything else is written. */
    private static PreflightResult preflight(Preflight preflight, LoadedArchive archive, ImportRequest req, ImportRun run, ImportProgress progress) {
        progress.phase("preflight: checking " + archive.objects().size() + " objects against the target (server-side dry run)");
        PreflightResult result = preflight.run(archive, run == null ? Set.of() : run.createdBefore(),
                req.mode() == ImportRequest.Mode.RESUME ? run.runId() : null);
        if (!result.problems().isEmpty()) {
            throw new PreflightFailed(result.problems());
        }
        if (run != null) {
            result.levels().forEach(level -> level.stream().filter(p -> result.adopted().contains(p.id())).forEach(run::adoptUnconfirmed));
        }
        result.notes().forEach(progress::warning);
        progress.phase(planText(result));
        return result;
    }

    /** Preflight found problems: exit 3, nothing changed (unless CRDs this run installed had to be rolled back). */
    static final class PreflightFailed extends PivotctlException {
        private static final long serialVersionUID = 1L;

        PreflightFailed(List<String> problems) {
            super(Outcome.INVALID, "preflight failed: " + problems.size() + " problem(s); nothing was changed on the target", problems);
        }
    }

    private static void requireWhatTheScopeNeeds(ImportRequest req, LoadedArchive archive) {
        Manifest manifest = archive.manifest();
        if (req.writesObjects() && req.mode() != ImportRequest.Mode.ROLLBACK && !archive.secretsDecrypted() && !manifest.secrets().isEmpty()) {
            throw PivotctlException.usage("the archive holds " + manifest.secrets().size()
                    + " encrypted Secrets: pass --identity FILE or --passphrase-file FILE to import them");
        }
        if (req.only() == ImportRequest.Scope.LEASES && archive.leases().isEmpty()) {
            throw PivotctlException.invalid("the archive holds no dnsmasq leases (export was run without a leases source)");
        }
    }

    /** Whether the leases ConfigMap is to be written; refuses (nothing changed) when it holds other content and --on-conflict is fail. */
    private static boolean leasesToWrite(ResourceApi api, ImportRequest req, LoadedArchive archive, ImportProgress progress) {
        if (!req.writesLeases() || archive.leases().isEmpty()) {
            return false;
        }
        LeasesRestore.Existing now = LeasesRestore.existing(api, archive.leases().get(), req.leases(), archive.manifest().archiveId());
        if (now == LeasesRestore.Existing.SAME_ARCHIVE) {
            progress.phase("leases ConfigMap " + req.leases() + " already holds this archive's leases");
            return false;
        }
        if (now == LeasesRestore.Existing.OTHER && req.onConflict() == ConflictPolicy.FAIL) {
            throw PivotctlException.invalid("leases ConfigMap " + req.leases() + " already exists on the target with other content"
                    + " (use --on-conflict skip or update, or --leases-configmap NS/NAME); nothing was changed");
        }
        return true;
    }

    private static Set<String> archivedUids(LoadedArchive archive) {
        Set<String> out = new java.util.HashSet<>();
        archive.objects().forEach(o -> out.add(o.uid()));
        return out;
    }

    private static String reason(RuntimeException failure, ResourceApi api, LoadedArchive archive) {
        if (failure instanceof PivotctlException pe) {
            return pe.getMessage();
        }
        if (failure instanceof Cancellation.CancelledException) {
            return failure.getMessage();
        }
        return ApiErrors.describe(failure, "import", "archive " + archive.manifest().archiveId(), api.server()).getMessage();
    }

    static String planText(PreflightResult preflight) {
        StringBuilder b = new StringBuilder("plan: " + preflight.objectCount() + " objects in " + preflight.levels().size() + " levels");
        int i = 0;
        for (List<PlannedObject> level : preflight.levels()) {
            Map<String, Integer> kinds = new TreeMap<>();
            level.forEach(p -> kinds.merge(p.id().qualifiedKind(), 1, Integer::sum));
            b.append("\n  level ").append(i++).append(": ").append(level.size()).append(" ").append(kinds);
        }
        return b.toString();
    }

    private static Map<String, Integer> counts(Map<String, AtomicInteger> m) {
        Map<String, Integer> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}

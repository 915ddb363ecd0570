package io.pivotctl.cli;

import io.pivotctl.PivotctlException;
import io.pivotctl.restore.Cancellation;
import io.pivotctl.restore.ConflictPolicy;
import io.pivotctl.restore.ImportProgress;
import io.pivotctl.restore.ImportRequest;
import io.pivotctl.restore.ImportService;
import io.pivotctl.restore.ImportSummary;
import io.pivotctl.validate.LoadedArchive;
import io.pivotctl.storage.ArchiveLocation;
import io.pivotctl.vocabulary.Metal3;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Restore an archive into the target cluster: validate, preflight (server-side dry run, nothing written unless all checks pass),",
            "then create objects owners-first with their status, rewriting owner UIDs. All or nothing: a failure or Ctrl-C rolls back.",
        })
final class ImportCommand extends PrintingCommand implements OptionCheck {

    enum Only { leases, objects }

    @Mixin
    ArchiveInput archive;

    @Mixin
    KubeOptions kube;

    @Mixin
    LeasesConfigMapOption leases;

    /** At most one of these: what the run is. */
    static final class ModeOptions {
        @Option(names = "--dry-run", description = "Validate, run the preflight and print the plan; write nothing.")
        boolean dryRun;

        @Option(names = "--resume", description = "Continue an import interrupted with --no-rollback, from its journal.")
        boolean resume;

        @Option(names = "--rollback", description = "Undo an import kept with --no-rollback (or whose rollback was cut short), from its journal.")
        boolean rollback;

        ImportRequest.Mode mode() {
            return dryRun ? ImportRequest.Mode.DRY_RUN : resume ? ImportRequest.Mode.RESUME : rollback ? ImportRequest.Mode.ROLLBACK
                    : ImportRequest.Mode.IMPORT;
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ModeOptions modeOptions = new ModeOptions();

    @Option(names = "--on-conflict", defaultValue = "fail", paramLabel = "fail|skip|update",
            description = "An object that already exists: fail (default, before anything is written), skip it, or update it."
                    + " Cluster-scoped objects are shared: one that exists is used as it is, never updated.")
    ConflictPolicy onConflict;

    @Option(names = "--only", paramLabel = "leases|objects",
            description = "leases: only the dnsmasq leases ConfigMap (before providers are installed); objects: everything else.")
    Only only;

    @Option(names = "--install-crds", description = "Create the archived CRDs of kinds the target does not serve (never touches a CRD the target has).")
    boolean installCrds;

    @Option(names = "--keep-paused", description = "Leave restored Clusters and BareMetalHosts paused.")
    boolean keepPaused;

    @Option(names = "--bmh-status-annotation", description = "Also write the " + Metal3.HOST_STATUS + " annotation BMO uses for restores.")
    boolean bmhStatusAnnotation;

    @Option(names = "--no-rollback", description = "On failure keep what was created and the journal (then --resume or --rollback).")
    boolean noRollback;

    @Mixin
    MetricsOptions metrics;

    private ImportRequest.Mode mode() {
        return modeOptions == null ? ImportRequest.Mode.IMPORT : modeOptions.mode();
    }

    @Override
    public void check() {
        ImportRequest.Mode mode = mode();
        if (noRollback && (mode == ImportRequest.Mode.DRY_RUN || mode == ImportRequest.Mode.ROLLBACK)) {
            throw PivotctlException.usage("--no-rollback applies to an import or --resume, not to " + (mode == ImportRequest.Mode.DRY_RUN ? "--dry-run" : "--rollback"));
        }
    }

    @Override
    int run(Console console) {
        ImportRequest.Mode mode = mode();
        ArchiveLocation archive = this.archive.location();
        console.progress("validating " + archive + " ...");
        LoadedArchive loaded = this.archive.load(console);
        if (!loaded.signed() && mode != ImportRequest.Mode.ROLLBACK) {
            console.warning("the archive is not signed: its checksums catch damage, not deliberate changes; sign exports"
                    + " (export --sign-key) and import with --require-signature --verify-key FILE");
        }
        ImportRequest req = ImportRequest.to(kube.target(console), archive.toString())
                .mode(mode)
                .onFailure(noRollback ? ImportRequest.OnFailure.KEEP : ImportRequest.OnFailure.ROLL_BACK)
                .onConflict(onConflict)
                .only(only == null ? ImportRequest.Scope.ALL : only == Only.leases ? ImportRequest.Scope.LEASES : ImportRequest.Scope.OBJECTS)
                .leases(leases.configMap)
                .flag(ImportRequest.Flag.INSTALL_CRDS, installCrds)
                .flag(ImportRequest.Flag.KEEP_PAUSED, keepPaused)
                .flag(ImportRequest.Flag.BMH_STATUS_ANNOTATION, bmhStatusAnnotation)
                .build();
        metrics.record(loaded.objects().size(), loaded.manifest().secrets().size(), metrics.file == null ? 0 : archive.size());
        Cancellation cancellation = new Cancellation();
        ImportSummary s;
        if (mode == ImportRequest.Mode.DRY_RUN) {
            s = new ImportService().run(req, loaded, progress(console), cancellation);
        } else {
            try (Interrupts signals = Interrupts.cancelling(cancellation)) {
                s = new ImportService().run(req, loaded, progress(console), cancellation);
            }
        }
        format.print(console, () -> json(s), () -> print(console, s));
        return 0;
    }

    private static ImportProgress progress(Console console) {
        return new ImportProgress() {
            private long since = System.nanoTime();

            @Override
            public void phase(String description) {
                console.progress(description);
                since = System.nanoTime();
            }

            @Override
            public void levelDone(int level, int levels, int objects) {
                long now = System.nanoTime();
                console.progress(String.format(java.util.Locale.ROOT, "  level %d/%d done (%d objects, %.1fs)", level, levels, objects, (now - since) / 1e9));
                since = now;
            }

            @Override
            public void warning(String message) {
                console.warning(message);
            }
        };
    }

    private Map<String, Object> json(ImportSummary s) {
        return OutputFormat.fields("archiveId", s.archiveId(), "result", s.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                "objects", s.preflight() == null ? null : s.preflight().objectCount(), "levels", s.preflight() == null ? null : s.preflight().levels().size(),
                "created", s.counts().created(), "skipped", s.counts().skipped(), "updated", s.counts().updated(),
                "leasesConfigMap", s.counts().leasesRestored() ? leases.configMap.toString() : null,
                s.kind() == ImportSummary.Kind.ROLLED_BACK ? "undone" : "warnings", s.lines(), "seconds", s.millis() / 1000.0);
    }

    private void print(Console console, ImportSummary s) {
        if (s.kind() == ImportSummary.Kind.ROLLED_BACK) {
            s.lines().forEach(line -> console.progress("  " + line));
            console.result("Rolled back " + s.lines().size() + " change(s) of archive " + s.archiveId() + "; the journal is removed.");
            return;
        }
        if (s.kind() == ImportSummary.Kind.DRY_RUN) {
            console.result("Dry run: preflight passed" + (s.preflight() == null ? "" : " for " + s.preflight().objectCount() + " objects in "
                    + s.preflight().levels().size() + " levels") + "; nothing was written.");
            return;
        }
        console.result("Imported archive " + s.archiveId() + (s.counts().leasesRestored() ? " (leases ConfigMap " + leases.configMap + " written)" : ""));
        if (s.preflight() == null) {
            return; // --only leases: no object table
        }
        console.result(String.format("%-45s %8s %8s %8s", "KIND", "CREATED", "SKIPPED", "UPDATED"));
        for (String kind : new TreeSet<>(union(s.counts().created(), s.counts().skipped(), s.counts().updated()))) {
            console.result(String.format("%-45s %8d %8d %8d", kind, s.counts().created().getOrDefault(kind, 0), s.counts().skipped().getOrDefault(kind, 0),
                    s.counts().updated().getOrDefault(kind, 0)));
        }
        console.result(String.format("Time: %.1fs, %.0f objects/s", s.millis() / 1000.0, s.objectsPerSecond()));
    }

    @SafeVarargs
    private static java.util.Set<String> union(Map<String, Integer>... maps) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Map<String, Integer> m : maps) {
            keys.addAll(m.keySet());
        }
        return keys;
    }
}

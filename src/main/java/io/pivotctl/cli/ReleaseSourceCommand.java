package io.pivotctl.cli;

import io.pivotctl.PivotctlException;
import io.pivotctl.kube.NamespacedName;
import io.pivotctl.storage.ArchiveLocation;
import io.pivotctl.release.ReleaseProgress;
import io.pivotctl.release.ReleaseRequest;
import io.pivotctl.release.ReleaseService;
import io.pivotctl.release.ReleaseStep;
import io.pivotctl.release.ReleaseSummary;
import io.pivotctl.validate.LoadedArchive;
import io.pivotctl.verify.VerifyReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "release-source", mixinStandardHelpOptions = true,
        description = {
            "Finish a pivot: remove from the SOURCE cluster exactly what the archive moved",
            "(matched by UID) and nothing left there still uses, without deprovisioning a host.",
            "Hosts first: one write sets baremetalhost.metal3.io/detached and lifts",
            "pivotctl's own pause; then it waits until BMO reports",
            "status.operationalStatus=detached and deletes the hosts' BMC Secrets and",
            "HardwareData, the hosts, then the rest, dependents before owners, finalizers",
            "removed first. Every delete orphans (propagationPolicy: Orphan), so the garbage",
            "collector never takes what the plan leaves alone. Every patch and delete carries",
            "the archived UID and the resourceVersion read just before as preconditions.",
            "Left alone and reported: another UID, changed since export or since the plan,",
            "paused by CAPM3 or a person, or still used by something that stays (named).",
            "Without --yes it prints the plan and writes nothing. Re-run it to resume.",
            "Exit 3, nothing changed: the archive was exported without --pause; --yes without",
            "--verified-on or --skip-verify; the source is not paused as export left it",
            "(after unpause: export --pause again); a cluster id cannot be read; or the",
            "target differs from the archive.",
            "Exit 1 on a detach timeout: nothing deleted, the hosts stay in place.",
            ""
        })
final class ReleaseSourceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "The archive: a file or s3://BUCKET/KEY.")
    ArchiveLocation archive;

    @Mixin
    KubeOptions kube;

    @Mixin
    KeyOptions keyOptions;

    @Option(names = "--yes", description = "Execute the plan (default: print it and write nothing).")
    boolean yes;

    @Option(names = "--verified-on", paramLabel = "TARGET_KUBECONFIG",
            description = "Run pivotctl verify against the target first; refuse unless it equals the archive.")
    Path verifiedOn;

    @Option(names = "--verified-on-context", paramLabel = "NAME", description = "Kubeconfig context for --verified-on.")
    String verifiedOnContext;

    @Option(names = "--skip-verify", description = "Release without checking the target (you verified it yourself).")
    boolean skipVerify;

    @Option(names = "--detach-timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long to wait for BMO to detach the hosts (default: ${DEFAULT-VALUE}); 0 skips the wait (the source's BMO is gone).")
    Duration detachTimeout;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class, hidden = true)
    Duration pollInterval;

    @Option(names = "--leases-configmap", paramLabel = "NS/NAME", defaultValue = "metal3/dnsmasq-leases-configmap",
            converter = NamespacedNameConverter.class, description = "Leases ConfigMap on the target, for --verified-on (default: ${DEFAULT-VALUE}).")
    NamespacedName leasesConfigMap;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    enum Format { table, json }

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "table or json: the plan or the outcome, every object with its action and reason (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() throws Exception {
        Console console = new Console(spec, quiet);
        if (verifiedOn != null && skipVerify) {
            throw PivotctlException.usage("--verified-on and --skip-verify exclude each other");
        }
        LoadedArchive loaded = keyOptions.load(archive, console);
        ReleaseRequest request = (yes ? ReleaseRequest.execute(loaded, kube.target(console)) : ReleaseRequest.plan(loaded, kube.target(console)))
                .withDetachWait(detachTimeout, pollInterval.isZero() ? Duration.ofSeconds(1) : pollInterval);
        if (verifiedOn != null) {
            request = request.withVerifiedOn(kube.target(console, verifiedOn, verifiedOnContext), leasesConfigMap);
        } else if (skipVerify) {
            request = request.withoutVerify();
        }
        ReleaseSummary s = new ReleaseService().run(request, progress(console));
        if (format == Format.json) {
            console.result(json(s));
            return 0;
        }
        if (!s.executed()) {
            printPlan(console, s);
            return 0;
        }
        printLeftAlone(console, s.leftAlone());
        console.result("RELEASED from " + s.source() + ": " + s.hostsDetached() + " host(s) detached, " + s.deleted() + " object(s) deleted, "
                + s.alreadyGone() + " already gone, " + s.leftAlone().size() + " left alone" + (s.leftAlone().isEmpty() ? "" : " (listed above)")
                + "; journal " + s.journal());
        return 0;
    }

    private static ReleaseProgress progress(Console console) {
        return new ReleaseProgress() {
            @Override
            public void verified(VerifyReport r) {
                console.progress("verified: the target " + r.target() + " equals the archive (" + r.objectsChecked() + " objects checked)");
            }

            @Override
            public void step(String what, ReleaseStep step) {
                console.progress("  " + what + ": " + step.id());
            }

            @Override
            public void waiting(int detached, int total, long elapsed, long timeout) {
                console.progress(String.format("waiting for BMO to detach the hosts: %d of %d report operationalStatus=detached (%ds of %ds)",
                        detached, total, elapsed, timeout));
            }

            @Override
            public void sourceUnreachable(String what, long waitSeconds) {
                console.warning(what + "; waiting up to " + waitSeconds + "s for the source to answer again, then going on from a fresh read");
            }

            @Override
            public void orphaning(int gone, int total, long elapsed) {
                console.progress(String.format("waiting for the garbage collector to finish the orphaning deletes: %d of %d gone (%ds)", gone, total, elapsed));
            }

            @Override
            public void stillTerminating(List<ReleaseStep> steps) {
                console.warning(steps.size() + " deleted object(s) still Terminating with the 'orphan' finalizer (e.g. " + steps.get(0).id() + "): the"
                        + " source's garbage collector (kube-controller-manager) removes it once the ownerReferences to them are gone; check that it runs");
            }

            @Override
            public void leftAlone(ReleaseStep step) {
                console.warning("left alone: " + step.id() + ": " + step.reason());
            }
        };
    }

    private static void printPlan(Console console, ReleaseSummary s) {
        List<ReleaseStep> ordered = s.steps().stream()
                .sorted(Comparator.comparing(ReleaseStep::phase)
                        .thenComparing((ReleaseStep st) -> st.action() == ReleaseStep.Action.DETACH_DELETE || st.host() == null ? 0 : 1)
                        .thenComparing(ReleaseStep::level, Comparator.reverseOrder())
                        .thenComparing(ReleaseStep::id))
                .toList();
        console.result(String.format("%-14s %-5s %-70s %s", "ACTION", "PHASE", "OBJECT", "DETAIL"));
        for (ReleaseStep st : ordered) {
            console.result(String.format("%-14s %-5s %-70s %s", st.actionText(), st.phase() == ReleaseStep.Phase.HOSTS ? "hosts" : "L" + st.level(),
                    st.id(), st.reason()).stripTrailing());
        }
        long notPaused = s.count(ReleaseStep.Action.NOT_PAUSED);
        console.result("PLAN for " + s.source() + ": would detach " + s.count(ReleaseStep.Action.DETACH_DELETE) + " host(s) and delete them, then "
                + s.count(ReleaseStep.Action.DELETE) + " other object(s); " + s.alreadyGone() + " already gone; " + s.leftAlone().size()
                + " left alone. Nothing was changed: " + (notPaused == 0 ? "run again with --yes to release the source."
                        : notPaused + " object(s) export paused are not paused by pivotctl any more, so --yes is refused: pause them again with"
                                + " pivotctl export --pause."));
    }

    private static String json(ReleaseSummary s) throws com.fasterxml.jackson.core.JsonProcessingException {
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("archiveId", s.archiveId());
        out.put("source", s.source());
        out.put("executed", s.executed());
        out.put("hostsDetached", s.hostsDetached());
        out.put("deleted", s.deleted());
        out.put("alreadyGone", s.alreadyGone());
        out.put("journal", s.journal().toString());
        out.put("steps", s.steps().stream().map(ReleaseSourceCommand::row).toList());
        out.put("leftAlone", s.leftAlone().stream().map(ReleaseSourceCommand::row).toList());
        return io.pivotctl.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out);
    }

    private static java.util.Map<String, Object> row(ReleaseStep st) {
        java.util.Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("object", st.id().toString());
        r.put("uid", st.uid());
        r.put("action", st.action().name());
        r.put("phase", st.phase().name());
        r.put("level", st.level());
        r.put("reason", st.reason());
        return r;
    }

    private static void printLeftAlone(Console console, List<ReleaseStep> leftAlone) {
        for (ReleaseStep st : leftAlone) {
            console.result("LEFT ALONE " + st.id() + ": " + st.reason());
        }
    }
}

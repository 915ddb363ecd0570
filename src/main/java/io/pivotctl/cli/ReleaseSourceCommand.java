package io.pivotctl.cli;

import io.pivotctl.PivotctlException;
import io.pivotctl.release.ReleaseProgress;
import io.pivotctl.release.ReleaseRequest;
import io.pivotctl.release.ReleaseService;
import io.pivotctl.release.ReleaseStep;
import io.pivotctl.release.ReleaseSummary;
import io.pivotctl.validate.LoadedArchive;
import io.pivotctl.verify.VerifyReport;
import io.pivotctl.vocabulary.Metal3;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "release-source", mixinStandardHelpOptions = true,
        description = {
            "Finish a pivot: remove from the SOURCE cluster exactly what the archive moved",
            "(matched by UID) and nothing left there still uses, without deprovisioning a host.",
            "Hosts first: one write sets " + Metal3.HOST_DETACHED + " and lifts",
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
final class ReleaseSourceCommand extends PrintingCommand implements OptionCheck {

    @Mixin
    ArchiveInput archive;

    @Mixin
    KubeOptions kube;

    @Option(names = "--yes", description = "Execute the plan (default: print it and write nothing).")
    boolean yes;

    /** How the target was checked: by pivotctl verify against it, or by the user. */
    static final class TargetCheck {
        @Option(names = "--verified-on", paramLabel = "TARGET_KUBECONFIG",
                description = "Run pivotctl verify against the target first; refuse unless it equals the archive.")
        Path verifiedOn;

        @Option(names = "--skip-verify", description = "Release without checking the target (you verified it yourself).")
        boolean skipVerify;
    }

    @ArgGroup(exclusive = true)
    TargetCheck targetCheck;

    @Option(names = "--verified-on-context", paramLabel = "NAME", description = "Kubeconfig context for --verified-on.")
    String verifiedOnContext;

    @Option(names = "--detach-timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long to wait for BMO to detach the hosts (default: ${DEFAULT-VALUE}); 0 skips the wait (the source's BMO is gone).")
    Duration detachTimeout;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class, hidden = true)
    Duration pollInterval;

    @Mixin
    LeasesConfigMapOption leases;

    @Override
    public void check() {
        if (verifiedOnContext != null && (targetCheck == null || targetCheck.verifiedOn == null)) {
            throw PivotctlException.usage("--verified-on-context needs --verified-on TARGET_KUBECONFIG");
        }
    }

    @Override
    int run(Console console) {
        LoadedArchive loaded = archive.load(console);
        Path verifiedOn = targetCheck == null ? null : targetCheck.verifiedOn;
        boolean skipVerify = targetCheck != null && targetCheck.skipVerify;
        ReleaseRequest request = (yes ? ReleaseRequest.execute(loaded, kube.target(console)) : ReleaseRequest.plan(loaded, kube.target(console)))
                .withDetachWait(detachTimeout, pollInterval.isZero() ? Duration.ofSeconds(1) : pollInterval);
        if (verifiedOn != null) {
            request = request.withVerifiedOn(kube.target(console, verifiedOn, verifiedOnContext), leases.configMap);
        } else if (skipVerify) {
            request = request.withoutVerify();
        }
        ReleaseSummary s = new ReleaseService().run(request, progress(console));
        format.print(console, () -> json(s), () -> printTable(console, s));
        return 0;
    }

    private static void printTable(Console console, ReleaseSummary s) {
        if (!s.executed()) {
            printPlan(console, s);
            return;
        }
        printLeftAlone(console, s.leftAlone());
        console.result("RELEASED from " + s.source() + ": " + s.hostsDetached() + " host(s) detached, " + s.deleted() + " object(s) deleted, "
                + s.alreadyGone() + " already gone, " + s.leftAlone().size() + " left alone" + (s.leftAlone().isEmpty() ? "" : " (listed above)")
                + "; journal " + s.journal());
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

    private static Map<String, Object> json(ReleaseSummary s) {
        return OutputFormat.fields("archiveId", s.archiveId(), "source", s.source(), "executed", s.executed(), "hostsDetached", s.hostsDetached(),
                "deleted", s.deleted(), "alreadyGone", s.alreadyGone(), "journal", s.journal().toString(),
                "steps", s.steps().stream().map(ReleaseSourceCommand::row).toList(), "leftAlone", s.leftAlone().stream().map(ReleaseSourceCommand::row).toList());
    }

    private static Map<String, Object> row(ReleaseStep st) {
        return OutputFormat.fields("object", st.id().toString(), "uid", st.uid(), "action", st.action().name(), "phase", st.phase().name(),
                "level", st.level(), "reason", st.reason());
    }

    private static void printLeftAlone(Console console, List<ReleaseStep> leftAlone) {
        for (ReleaseStep st : leftAlone) {
            console.result("LEFT ALONE " + st.id() + ": " + st.reason());
        }
    }
}

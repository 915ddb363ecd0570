package io.pivotctl.release;

import io.pivotctl.GracefulStop;
import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.Manifest;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.verify.VerifyReport;
import io.pivotctl.verify.VerifyService;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code pivotctl release-source}: removes from the source exactly what the archive moved and nothing left behind
 * still uses, matched by UID, so the source Ironic lets go of the hosts without deprovisioning them. Refuses (exit 3,
 * nothing written) unless the archive was made with {@code --pause}, the source is still as export left it (paused by
 * pivotctl), both clusters' ids can be read and differ, and the target was verified (or the check explicitly skipped).
 */
public final class ReleaseService {

    private static final int DIFFERENCES_SHOWN = 20;
    private static final int NOT_PAUSED_NAMED = 10;

    /** One release against one source: what every step needs. */
    private record Context(ReleaseRequest req, ClusterConnection conn, Path journalPath, ReleaseProgress progress) {
    }

    public ReleaseSummary run(ReleaseRequest req, ReleaseProgress progress) {
        refuseEarly(req);
        Manifest m = req.archive().manifest();
        try (ClusterConnection conn = KubeConnector.connect(req.source())) {
            String sourceId = clusterId(conn, "--kubeconfig");
            String archivedId = m.source() == null ? null : m.source().clusterId();
            if (!known(archivedId)) {
                throw PivotctlException.invalid("archive " + m.archiveId() + " records no cluster id of its source (export could not read namespace"
                        + " kube-system), so nothing proves --kubeconfig is the cluster it was exported from; nothing was changed");
            }
            if (!archivedId.equals(sourceId)) {
                throw PivotctlException.invalid("--kubeconfig points at cluster " + sourceId + " (" + conn.server() + "), but the archive was"
                        + " exported from cluster " + archivedId + " (" + m.source().server() + "): nothing was changed");
            }
            Context ctx = new Context(req, conn, ReleaseJournal.pathFor(m.archiveId(), sourceId), progress);
            List<ReleaseJournal.Record> records = ReleaseJournal.readShared(ctx.journalPath());
            ReleasePlanner.Plan plan = new ReleasePlanner(conn).plan(req.archive(), ReleasePlanner.Earlier.of(records));
            if (!req.execute()) {
                return summary(ctx, plan, null, false);
            }
            refuseUnlessPaused(plan);
            if (req.verifiedOn() != null) {
                verify(req, sourceId, progress);
            }
            return execute(ctx, plan, records.size());
        }
    }

    private static void refuseEarly(ReleaseRequest req) {
        Manifest m = req.archive().manifest();
        if (m.pausedByExport().isEmpty()) {
            throw PivotctlException.invalid("archive " + m.archiveId() + " was not exported with --pause, so the source never stopped acting"
                    + " and may have changed since: export again with --pause and import that archive; nothing was changed");
        }
        if (!m.secrets().isEmpty() && !req.archive().secretsDecrypted()) {
            throw PivotctlException.usage("the archive's " + m.secrets().size() + " Secret(s) are encrypted and their UIDs with them:"
                    + " pass --identity FILE or --passphrase-file FILE");
        }
        if (req.execute() && req.verifiedOn() == null && !req.skipVerify()) {
            throw PivotctlException.invalid("the target has not been verified: pass --verified-on TARGET_KUBECONFIG (runs pivotctl verify"
                    + " against it first) or, if you verified it yourself, --skip-verify; nothing was changed");
        }
    }

    /**
     * The cluster's id (the UID of namespace kube-system), which must be readable: two clusters whose ids cannot be
     * read cannot be told apart, so they are never taken for different clusters.
     */
    private static String clusterId(ClusterConnection conn, String option) {
        String id = new Discovery(conn).clusterId();
        if (!known(id)) {
            throw PivotctlException.invalid("cannot read the cluster id of " + option + " (" + conn.server() + "): release-source compares the"
                    + " UIDs of namespace kube-system to be sure which cluster is which; grant get on namespaces/kube-system (or check the"
                    + " kubeconfig); nothing was changed");
        }
        return id;
    }

    /** --yes only on a source still as export left it: what export paused must be paused by pivotctl (or detached by this release). */
    private static void refuseUnlessPaused(ReleasePlanner.Plan plan) {
        List<ReleaseStep> notPaused = plan.with(ReleaseStep.Action.NOT_PAUSED);
        if (notPaused.isEmpty()) {
            return;
        }
        List<String> named = notPaused.stream().limit(NOT_PAUSED_NAMED).map(s -> s.id().toString()).toList();
        throw new PivotctlException(Outcome.INVALID, "the source is not as export left it: " + notPaused.size() + " object(s) export paused are not"
                + " paused by pivotctl any more (" + String.join(", ", named) + (notPaused.size() > named.size() ? ", ..." : "") + "), so their"
                + " controllers may be acting on them (after pivotctl unpause, say). To go ahead with this pivot, pause the source again with"
                + " pivotctl export --pause (same selection), import and verify that archive, and release with it; nothing was changed",
                notPaused.stream().map(s -> s.id() + ": " + s.reason()).toList());
    }

    /** Runs the same check as {@code pivotctl verify} on the target: anything but equal refuses the release. */
    private static void verify(ReleaseRequest req, String sourceId, ReleaseProgress progress) {
        String targetId;
        try (ClusterConnection target = KubeConnector.connect(req.verifiedOn())) {
            targetId = clusterId(target, "--verified-on");
        }
        if (targetId.equals(sourceId)) {
            throw PivotctlException.invalid("--verified-on points at the source cluster itself (" + targetId + "): give the target's kubeconfig;"
                    + " nothing was changed");
        }
        VerifyReport r = new VerifyService().run(req.verifiedOn(), req.archive(), req.leasesConfigMap().namespace(), req.leasesConfigMap().name());
        if (!r.equal()) {
            List<String> shown = r.differences().stream().limit(DIFFERENCES_SHOWN).map(d -> d.object() + ": " + d.kind() + " " + d.detail()).toList();
            throw new PivotctlException(Outcome.INVALID, "the target " + r.target() + " is not verified: " + r.differences().size()
                    + " difference(s) with the archive (pivotctl verify lists them all); the source keeps everything, nothing was changed", shown);
        }
        if (r.secretsSkipped()) {
            throw PivotctlException.invalid("the target's Secret data was not compared (no key): pass --identity or --passphrase-file;"
                    + " nothing was changed");
        }
        progress.verified(r);
    }

    /**
     * Takes the journal's lock for the whole run; when another run wrote to it since the plan was read, plans again
     * from what it did. Ctrl-C/SIGTERM stops before the next write.
     */
    private static ReleaseSummary execute(Context ctx, ReleasePlanner.Plan planned, int recordsPlannedFrom) {
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancelled.set(true);
            try {
                finished.await(60, TimeUnit.SECONDS); // the main thread stops before its next write and says where it stopped
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pivotctl-release-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        GracefulStop.enter();
        try (ReleaseJournal journal = ReleaseJournal.open(ctx.journalPath())) {
            ReleasePlanner.Plan plan = planned;
            if (journal.records().size() != recordsPlannedFrom) {
                plan = new ReleasePlanner(ctx.conn()).plan(ctx.req().archive(), ReleasePlanner.Earlier.of(journal.records()));
                refuseUnlessPaused(plan);
            }
            journal.append("begin", ctx.req().archive().manifest().archiveId(), null);
            ReleaseRun.Counts c = new ReleaseRun(ctx.conn(), journal, ctx.progress(), cancelled::get).run(plan, ctx.req().detachTimeout(),
                    ctx.req().pollInterval());
            journal.append("finish", ctx.req().archive().manifest().archiveId(), null);
            return summary(ctx, plan, c, true);
        } finally {
            GracefulStop.exit();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs: it waits for `finished`, counted down above
            }
        }
    }

    private static ReleaseSummary summary(Context ctx, ReleasePlanner.Plan plan, ReleaseRun.Counts c, boolean executed) {
        String archiveId = ctx.req().archive().manifest().archiveId();
        if (c == null) {
            List<ReleaseStep> notReleased = plan.steps().stream().filter(s -> !s.deletes() && s.action() != ReleaseStep.Action.GONE).toList();
            return new ReleaseSummary(archiveId, ctx.conn().server(), executed, plan.steps(), 0, 0, plan.with(ReleaseStep.Action.GONE).size(),
                    notReleased, ctx.journalPath());
        }
        return new ReleaseSummary(archiveId, ctx.conn().server(), executed, plan.steps(), c.detached(), c.deleted(), c.gone(), c.leftAlone(),
                ctx.journalPath());
    }

    private static boolean known(String clusterId) {
        return clusterId != null && !clusterId.isBlank() && !"unknown".equals(clusterId);
    }
}

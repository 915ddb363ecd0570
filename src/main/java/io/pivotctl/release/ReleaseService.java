package io.pivotctl.release;

import io.pivotctl.GracefulStop;
import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.Manifest;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.validate.LoadedArchive;
import io.pivotctl.verify.VerifyReport;
import io.pivotctl.verify.VerifyService;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * {@code pivotctl release-source}: removes from the source exactly what the archive moved, matched by UID, so the
 * source Ironic lets go of the hosts without deprovisioning them. Refuses (exit 3, nothing written) unless the
 * archive was made with {@code --pause} and the target was verified (or the check explicitly skipped).
 */
public final class ReleaseService {

    private static final int DIFFERENCES_SHOWN = 20;

    public ReleaseSummary run(ReleaseRequest req, ReleaseProgress progress) {
        LoadedArchive archive = req.archive();
        Manifest m = archive.manifest();
        if (m.pausedByExport().isEmpty()) {
            throw PivotctlException.invalid("archive " + m.archiveId() + " was not exported with --pause, so the source never stopped acting"
                    + " and may have changed since: export again with --pause and import that archive; nothing was changed");
        }
        if (!m.secrets().isEmpty() && !archive.secretsDecrypted()) {
            throw PivotctlException.usage("the archive's " + m.secrets().size() + " Secret(s) are encrypted and their UIDs with them:"
                    + " pass --identity FILE or --passphrase-file FILE");
        }
        if (req.execute() && req.verifiedOn() == null && !req.skipVerify()) {
            throw PivotctlException.invalid("the target has not been verified: pass --verified-on TARGET_KUBECONFIG (runs pivotctl verify"
                    + " against it first) or, if you verified it yourself, --skip-verify; nothing was changed");
        }
        try (ClusterConnection conn = KubeConnector.connect(req.source())) {
            String sourceId = new Discovery(conn).clusterId();
            String archivedId = m.source() == null ? null : m.source().clusterId();
            if (known(archivedId) && known(sourceId) && !archivedId.equals(sourceId)) {
                throw PivotctlException.invalid("--kubeconfig points at cluster " + sourceId + " (" + conn.server() + "), but the archive was"
                        + " exported from cluster " + archivedId + " (" + m.source().server() + "): nothing was changed");
            }
            if (req.verifiedOn() != null) {
                verify(req, archivedId, progress);
            }
            Path journalPath = ReleaseJournal.pathFor(m.archiveId(), sourceId);
            Set<String> deletedEarlier = ReleaseJournal.read(journalPath).stream().filter(r -> "delete".equals(r.op()))
                    .map(ReleaseJournal.Record::id).collect(Collectors.toSet());
            ReleasePlanner.Plan plan = new ReleasePlanner(conn).plan(archive, deletedEarlier);
            if (!req.execute()) {
                return new ReleaseSummary(m.archiveId(), conn.server(), false, plan.steps(), 0, 0,
                        (int) plan.steps().stream().filter(s -> s.action() == ReleaseStep.Action.GONE).count(),
                        plan.steps().stream().filter(s -> s.action() == ReleaseStep.Action.LEFT_ALONE).toList(), journalPath);
            }
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
            try (ReleaseJournal journal = ReleaseJournal.open(journalPath)) {
                journal.append("begin", m.archiveId(), null);
                ReleaseRun.Counts c = new ReleaseRun(conn, journal, progress, cancelled::get).run(plan.steps(), req.detachTimeout(), req.pollInterval());
                journal.append("finish", m.archiveId(), null);
                return new ReleaseSummary(m.archiveId(), conn.server(), true, plan.steps(), c.detached(), c.deleted(), c.gone(), c.leftAlone(),
                        journalPath);
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
    }

    /** Runs the same check as {@code pivotctl verify} on the target: anything but equal refuses the release. */
    private static void verify(ReleaseRequest req, String archivedId, ReleaseProgress progress) {
        String targetId;
        try (ClusterConnection target = KubeConnector.connect(req.verifiedOn())) {
            targetId = new Discovery(target).clusterId();
        }
        if (known(targetId) && targetId.equals(archivedId)) {
            throw PivotctlException.invalid("--verified-on points at the source cluster itself (" + targetId + "): give the target's kubeconfig;"
                    + " nothing was changed");
        }
        VerifyReport r = new VerifyService().run(req.verifiedOn(), req.archive(), req.leasesNamespace(), req.leasesConfigMap());
        progress.verified(r);
        if (!r.equal()) {
            List<String> shown = r.differences().stream().limit(DIFFERENCES_SHOWN).map(d -> d.object() + ": " + d.kind() + " " + d.detail()).toList();
            throw new PivotctlException(Outcome.INVALID, "the target " + r.target() + " is not verified: " + r.differences().size()
                    + " difference(s) with the archive (pivotctl verify lists them all); the source keeps everything, nothing was changed", shown);
        }
        if (r.secretsSkipped()) {
            throw PivotctlException.invalid("the target's Secret data was not compared (no key): pass --identity or --passphrase-file;"
                    + " nothing was changed");
        }
    }

    private static boolean known(String clusterId) {
        return clusterId != null && !clusterId.isBlank() && !"unknown".equals(clusterId);
    }
}

package io.pivotctl.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Parallel;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Executes a release plan: hosts detached, waited for and deleted first, then the rest, dependents before owners. */
final class ReleaseRun {

    private static final int DETACH_ATTEMPTS = 3;
    private static final long REPORT_EVERY_NANOS = 10_000_000_000L;

    private final ClusterConnection conn;
    private final ResourceClient client;
    private final GuardedWrites writes;
    private final ReleaseJournal journal;
    private final ReleaseProgress progress;
    private final AtomicInteger detached = new AtomicInteger();
    private final AtomicInteger deleted = new AtomicInteger();
    private final AtomicInteger gone = new AtomicInteger();
    private final List<ReleaseStep> leftAlone = Collections.synchronizedList(new ArrayList<>());
    private final java.util.function.BooleanSupplier cancelled;

    ReleaseRun(ClusterConnection conn, ReleaseJournal journal, ReleaseProgress progress, java.util.function.BooleanSupplier cancelled) {
        this.cancelled = cancelled;
        this.conn = conn;
        this.client = new ResourceClient(conn);
        this.writes = new GuardedWrites(conn);
        this.journal = journal;
        this.progress = progress;
    }

    record Counts(int detached, int deleted, int gone, List<ReleaseStep> leftAlone) {
    }

    Counts run(List<ReleaseStep> steps, Duration detachTimeout, Duration pollInterval) {
        steps.stream().filter(s -> s.action() == ReleaseStep.Action.GONE).forEach(s -> gone.incrementAndGet());
        leftAlone.addAll(steps.stream().filter(s -> s.action() == ReleaseStep.Action.LEFT_ALONE).toList());
        // one write per host, independent of the others: in parallel, like the deletes
        List<ReleaseStep> hosts = Parallel.map(steps.stream().filter(s -> s.action() == ReleaseStep.Action.DETACH_DELETE).toList(),
                conn.concurrency(), h -> detach(h) ? h : null).stream().filter(java.util.Objects::nonNull).toList();
        if (!detachTimeout.isZero()) {
            awaitDetached(hosts, detachTimeout, pollInterval);
        }
        Set<ObjectId> leftAloneIds = leftAloneIds();
        Parallel.map(hosts.stream().filter(h -> !leftAloneIds.contains(h.id())).toList(), conn.concurrency(), h -> {
            delete(h);
            return null;
        });
        // a BMC Secret or HardwareData goes only after its host, and never when its host stays
        Set<ObjectId> stayed = leftAloneIds();
        Parallel.map(steps.stream().filter(s -> s.phase() == ReleaseStep.Phase.HOSTS && s.action() == ReleaseStep.Action.DELETE).toList(),
                conn.concurrency(), s -> {
                    if (s.host() != null && stayed.contains(s.host())) {
                        report(s.leftAlone("belongs to " + s.host() + ", which was left alone"));
                    } else {
                        delete(s);
                    }
                    return null;
                });
        // dependents before owners: highest restore level first, one level at a time
        TreeMap<Integer, List<ReleaseStep>> byLevel = new TreeMap<>(Collections.reverseOrder());
        for (ReleaseStep s : steps) {
            if (s.phase() == ReleaseStep.Phase.REST && s.action() == ReleaseStep.Action.DELETE) {
                byLevel.computeIfAbsent(s.level(), k -> new ArrayList<>()).add(s);
            }
        }
        for (List<ReleaseStep> level : byLevel.values()) {
            Parallel.map(level, conn.concurrency(), s -> {
                delete(s);
                return null;
            });
        }
        return new Counts(detached.get(), deleted.get(), gone.get(), List.copyOf(leftAlone));
    }

    /**
     * One write sets the detached annotation and lifts pivotctl's own pause (BMO ignores a paused host), guarded by
     * UID and resourceVersion so a pause someone set in between is never lifted. False when the host is not to be
     * deleted after all (gone, replaced, paused by someone else).
     */
    private boolean detach(ReleaseStep h) {
        stopIfCancelled();
        for (int attempt = 1; ; attempt++) {
            Optional<ObjectNode> read;
            try {
                read = client.get(h.type(), h.id().namespace(), h.id().name());
            } catch (RuntimeException e) {
                throw ApiErrors.describe(e, "get", h.id().toString(), conn.server());
            }
            if (read.isEmpty()) {
                gone.incrementAndGet();
                return false;
            }
            ObjectNode live = read.get();
            if (!h.uid().equals(live.path("metadata").path("uid").asText())) {
                report(h.leftAlone("replaced by another object with the same name since the plan was read"));
                return false;
            }
            var annotations = live.path("metadata").path("annotations");
            String paused = annotations.path(Metal3.HOST_PAUSED).asText(null);
            if (paused != null && !PivotctlMarks.PAUSED_BY_PIVOTCTL.equals(paused)) {
                report(h.leftAlone("paused by '" + paused + "', not by pivotctl: not ours to lift"));
                return false;
            }
            if (annotations.has(Metal3.HOST_DETACHED) && paused == null) {
                progress.step("already detached", h);
                return true;
            }
            ObjectNode patch = Json.MAPPER.createObjectNode();
            ObjectNode ann = patch.with("metadata").with("annotations");
            if (!annotations.has(Metal3.HOST_DETACHED)) {
                ann.put(Metal3.HOST_DETACHED, Metal3.DETACH_DELETE_ACTION);
            }
            if (paused != null) {
                ann.putNull(Metal3.HOST_PAUSED);
            }
            try {
                if (writes.patch(h.type(), h.id(), h.uid(), live.path("metadata").path("resourceVersion").asText(), patch) == null) {
                    gone.incrementAndGet();
                    return false;
                }
            } catch (GuardedWrites.NotTheArchivedObject changed) {
                if (attempt < DETACH_ATTEMPTS) {
                    continue; // read again: a status write in between is harmless, a new pause or UID is seen above
                }
                report(h.leftAlone(changed.getMessage()));
                return false;
            }
            journal.append("detach", EntryPaths.id(h.id()), h.uid());
            detached.incrementAndGet();
            progress.step("detach requested", h);
            return true;
        }
    }

    /** Polls (one list per namespace) until BMO reports every host detached, or fails naming the hosts still waited for. */
    private void awaitDetached(List<ReleaseStep> hosts, Duration timeout, Duration poll) {
        Map<ObjectId, ReleaseStep> pending = new LinkedHashMap<>();
        hosts.forEach(h -> pending.put(h.id(), h));
        long start = System.nanoTime();
        long lastReport = start - REPORT_EVERY_NANOS;
        int lastDone = -1;
        int total = pending.size();
        while (!pending.isEmpty()) {
            stopIfCancelled();
            Map<String, Map<String, ObjectNode>> byNamespace = new HashMap<>();
            for (ReleaseStep h : pending.values()) {
                byNamespace.computeIfAbsent(h.id().namespace(), ns -> list(h.type(), ns));
            }
            for (ReleaseStep h : List.copyOf(pending.values())) {
                ObjectNode live = byNamespace.get(h.id().namespace()).get(h.id().name());
                if (live == null) {
                    pending.remove(h.id());
                } else if (!h.uid().equals(live.path("metadata").path("uid").asText())) {
                    pending.remove(h.id());
                    report(h.leftAlone("replaced by another object with the same name while waiting for BMO"));
                } else if (Metal3.OPERATIONAL_DETACHED.equals(live.path("status").path("operationalStatus").asText())) {
                    pending.remove(h.id());
                    journal.append("detached", EntryPaths.id(h.id()), h.uid());
                }
            }
            long now = System.nanoTime();
            long elapsed = now - start;
            int done = total - pending.size();
            if (done != lastDone || now - lastReport >= REPORT_EVERY_NANOS || pending.isEmpty()) {
                progress.waiting(done, total, elapsed / 1_000_000_000L, timeout.toSeconds());
                lastDone = done;
                lastReport = now;
            }
            if (pending.isEmpty()) {
                return;
            }
            if (elapsed >= timeout.toNanos()) {
                journal.append("timeout", null, null);
                List<String> names = pending.keySet().stream().map(id -> id.namespace() + "/" + id.name()).toList();
                String shown = String.join(", ", names.subList(0, Math.min(5, names.size()))) + (names.size() > 5 ? " (+" + (names.size() - 5) + " more)" : "");
                throw PivotctlException.failed("timed out after " + human(timeout) + " waiting for BMO to report status.operationalStatus=detached on "
                        + names.size() + " host(s): " + shown + ". Nothing was deleted: the hosts stay in place, annotated detached. Check that the"
                        + " source's baremetal-operator runs and the hosts are in a state it detaches (provisioned, externally provisioned, ready,"
                        + " available), then run release-source again; if BMO is gone for good, use --detach-timeout 0");
            }
            try {
                Thread.sleep(Math.max(1, Math.min(poll.toMillis(), (timeout.toNanos() - elapsed) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PivotctlException.failed("interrupted while waiting for BMO to detach the hosts; nothing was deleted, run release-source again");
            }
        }
    }

    private Map<String, ObjectNode> list(ResourceType type, String ns) {
        Map<String, ObjectNode> out = new HashMap<>();
        try {
            client.list(type, ns).items().forEach(o -> out.put(o.path("metadata").path("name").asText(), o));
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "list", type.qualifiedResource() + " in namespace " + ns, conn.server());
        }
        return out;
    }

    /** Finalizers removed (the way clusterctl move does), then a delete with the archived UID as precondition. */
    private void delete(ReleaseStep s) {
        stopIfCancelled();
        try {
            if (writes.removeFinalizers(s.type(), s.id(), s.uid()) == null || !writes.delete(s.type(), s.id(), s.uid())) {
                gone.incrementAndGet();
                progress.step("already gone", s);
                return;
            }
        } catch (GuardedWrites.NotTheArchivedObject other) {
            report(s.leftAlone(other.getMessage()));
            return;
        }
        journal.append("delete", EntryPaths.id(s.id()), s.uid());
        deleted.incrementAndGet();
        progress.step("deleted", s);
    }

    private Set<ObjectId> leftAloneIds() {
        synchronized (leftAlone) {
            Set<ObjectId> ids = new HashSet<>();
            leftAlone.forEach(s -> ids.add(s.id()));
            return ids;
        }
    }

    /** Ctrl-C/SIGTERM: stop before the next write; every write so far is journaled, and a re-run finishes the job. */
    private void stopIfCancelled() {
        if (cancelled.getAsBoolean()) {
            journal.append("interrupted", null, null);
            throw PivotctlException.failed("interrupted (Ctrl-C/SIGTERM) after " + detached.get() + " host(s) detached and " + deleted.get()
                    + " object(s) deleted; nothing else was touched: run release-source again to finish (journal " + journal.path() + ")");
        }
    }

    private void report(ReleaseStep s) {
        leftAlone.add(s);
        progress.leftAlone(s);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 60 && s % 60 == 0 ? (s / 60) + "m" : s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }
}

package io.pivotctl.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Parallel;
import io.pivotctl.kube.ResourceClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Executes a release plan: hosts detached and waited for first; then, dependents before owners, their BMC Secrets and
 * HardwareData, the hosts, and the rest from the highest restore level down. Each write re-reads its object first and
 * leaves alone what changed since the plan. When the source stops answering (its apiserver restarting), each step
 * waits for it, up to {@link #OUTAGE_WAIT}, and goes on from a fresh read.
 */
final class ReleaseRun {

    /** How long a step waits for a source that stopped answering before the run fails (a re-run finishes it). */
    static final Duration OUTAGE_WAIT = Duration.ofMinutes(2);

    private final ClusterConnection conn;
    private final ResourceClient client;
    private final GuardedWrites writes;
    private final ReleaseJournal journal;
    private final ReleaseProgress progress;
    private final BooleanSupplier cancelled;
    private final AtomicInteger detached = new AtomicInteger();
    private final AtomicInteger deleted = new AtomicInteger();
    private final AtomicInteger gone = new AtomicInteger();
    private final List<ReleaseStep> leftAlone = Collections.synchronizedList(new ArrayList<>());
    private final List<ReleaseStep> deletedSteps = Collections.synchronizedList(new ArrayList<>());
    /** How each object must still look before it is written: the plan's view, then a host as our detach left it. */
    private final Map<ObjectId, PlannedState> expected = new ConcurrentHashMap<>();

    ReleaseRun(ClusterConnection conn, ReleaseJournal journal, ReleaseProgress progress, BooleanSupplier cancelled) {
        this.conn = conn;
        this.client = new ResourceClient(conn);
        this.writes = new GuardedWrites(conn);
        this.journal = journal;
        this.progress = progress;
        this.cancelled = cancelled;
    }

    record Counts(int detached, int deleted, int gone, List<ReleaseStep> leftAlone) {
    }

    Counts run(ReleasePlanner.Plan plan, Duration detachTimeout, Duration pollInterval) {
        List<ReleaseStep> steps = plan.steps();
        expected.putAll(plan.seen());
        steps.stream().filter(s -> s.action() == ReleaseStep.Action.GONE).forEach(s -> gone.incrementAndGet());
        leftAlone.addAll(steps.stream().filter(s -> !s.deletes() && s.action() != ReleaseStep.Action.GONE).toList());
        List<ReleaseStep> hosts = Parallel.map(steps.stream().filter(s -> s.action() == ReleaseStep.Action.DETACH_DELETE).toList(),
                conn.concurrency(), h -> ridingOut(resumed -> detach(h, resumed) ? h : null)).stream().filter(Objects::nonNull).toList();
        if (!detachTimeout.isZero()) {
            new BmoWait(journal, progress, (h, ns) -> ridingOut(resumed -> list(h, ns)), this::report)
                    .await(hosts, detachTimeout, pollInterval, this::stopIfCancelled);
        }
        // a BMC Secret or HardwareData goes before its host (dependents first), and never when its host stays
        Set<ObjectId> stayed = leftAloneIds();
        deleteAll(steps.stream().filter(s -> s.phase() == ReleaseStep.Phase.HOSTS && s.action() == ReleaseStep.Action.DELETE).toList(), stayed);
        Set<ObjectId> stayedNow = leftAloneIds();
        deleteAll(hosts.stream().filter(h -> !stayedNow.contains(h.id())).toList(), Set.of());
        TreeMap<Integer, List<ReleaseStep>> byLevel = new TreeMap<>(Collections.reverseOrder());
        for (ReleaseStep s : steps) {
            if (s.phase() == ReleaseStep.Phase.REST && s.action() == ReleaseStep.Action.DELETE) {
                byLevel.computeIfAbsent(s.level(), k -> new ArrayList<>()).add(s);
            }
        }
        byLevel.values().forEach(level -> deleteAll(level, Set.of()));
        if (!deletedSteps.isEmpty()) {
            List<ReleaseStep> terminating = new OrphanWait((s, ns) -> ridingOut(resumed -> list(s, ns)), progress)
                    .await(List.copyOf(deletedSteps), this::stopIfCancelled);
            if (!terminating.isEmpty()) {
                progress.stillTerminating(terminating);
            }
        }
        return new Counts(detached.get(), deleted.get(), gone.get(), List.copyOf(leftAlone));
    }

    private void deleteAll(List<ReleaseStep> steps, Set<ObjectId> stayingHosts) {
        Parallel.map(steps, conn.concurrency(), s -> {
            if (s.host() != null && stayingHosts.contains(s.host())) {
                report(s.leftAlone("belongs to " + s.host() + ", which was left alone"));
            } else {
                ridingOut(resumed -> {
                    delete(s, resumed);
                    return null;
                });
            }
            return null;
        });
    }

    /** Runs one step; when the source stops answering, waits for it and runs the step again, told that a write may have landed. */
    private <T> T ridingOut(Function<Boolean, T> step) {
        boolean resumed = false;
        while (true) {
            try {
                return step.apply(resumed);
            } catch (GuardedWrites.SourceUnreachable e) {
                progress.sourceUnreachable(e.getMessage(), OUTAGE_WAIT.toSeconds());
                if (!conn.awaitReachable(OUTAGE_WAIT.toMillis())) {
                    throw PivotctlException.failed(e.getMessage() + ", and it did not answer again within " + BmoWait.human(OUTAGE_WAIT) + ". Every"
                            + " write so far is journaled: run release-source again once the source answers (journal " + journal.path() + ")");
                }
                resumed = true;
            }
        }
    }

    /**
     * One write sets the detached annotation and lifts pivotctl's own pause (BMO ignores a paused host), guarded by
     * UID and the resourceVersion just read, after checking the host is still as the plan saw it, so a pause someone
     * set in between is never lifted. False when the host is not to be deleted after all (gone, replaced, changed).
     */
    private boolean detach(ReleaseStep h, boolean resumed) {
        stopIfCancelled();
        if (resumed && detachedAfterAll(h)) {
            return detachDone(h, "detach requested");
        }
        Optional<ObjectNode> read = read(h);
        if (read.isEmpty()) {
            gone.incrementAndGet();
            return false;
        }
        ObjectNode live = read.get();
        if (!isAsPlanned(h, live, false)) {
            return false;
        }
        var annotations = live.path("metadata").path("annotations");
        if (annotations.has(Metal3.HOST_DETACHED) && !annotations.has(Metal3.HOST_PAUSED)) {
            progress.step("already detached", h);
            return true;
        }
        ObjectNode patch = Json.MAPPER.createObjectNode();
        ObjectNode ann = patch.with("metadata").with("annotations");
        ann.put(Metal3.HOST_DETACHED, annotations.path(Metal3.HOST_DETACHED).asText(Metal3.DETACH_DELETE_ACTION));
        ann.putNull(Metal3.HOST_PAUSED);
        try {
            ObjectNode after = writes.patch(h.type(), h.id(), h.uid(), live.path("metadata").path("resourceVersion").asText(), patch);
            if (after == null) {
                gone.incrementAndGet();
                return false;
            }
            expected.put(h.id(), PlannedState.of(after, true));
        } catch (GuardedWrites.NotTheArchivedObject changed) {
            if (!detachedAfterAll(h)) {
                report(h.leftAlone("changed between its read and the detach write; run release-source again"));
                return false;
            }
        }
        return detachDone(h, "detach requested");
    }

    private boolean detachDone(ReleaseStep h, String what) {
        journal.append("detach", EntryPaths.id(h.id()), h.uid());
        detached.incrementAndGet();
        progress.step(what, h);
        return true;
    }

    /** After a conflict or an outage: the host detached and unpaused means our patch went through although its answer was lost. */
    private boolean detachedAfterAll(ReleaseStep h) {
        Optional<ObjectNode> now = read(h);
        if (now.isEmpty() || !h.uid().equals(now.get().path("metadata").path("uid").asText())) {
            return false;
        }
        var annotations = now.get().path("metadata").path("annotations");
        if (!annotations.has(Metal3.HOST_DETACHED) || annotations.has(Metal3.HOST_PAUSED)) {
            return false;
        }
        expected.put(h.id(), PlannedState.of(now.get(), true));
        return true;
    }

    /**
     * Read again; still the archived object as the plan saw it? Then finalizers removed (the way clusterctl move does)
     * and an orphaning delete, each guarded by the UID and the resourceVersion just read. After a conflict (or an
     * outage) it reads once more: gone or being deleted means our delete went through although its answer was lost;
     * only its finalizers gone means our finalizer removal did, and the delete follows; anything else is a change.
     */
    private void delete(ReleaseStep s, boolean resumed) {
        stopIfCancelled();
        boolean oursMayHaveLanded = resumed;
        for (int attempt = 1; attempt <= 2; attempt++) {
            Optional<ObjectNode> read = read(s);
            if (read.isEmpty() || beingDeleted(s, read.get())) {
                if (oursMayHaveLanded) {
                    deleteDone(s);
                } else {
                    gone.incrementAndGet();
                    progress.step(read.isEmpty() ? "already gone" : "already being deleted", s);
                }
                return;
            }
            if (!isAsPlanned(s, read.get(), oursMayHaveLanded)) {
                return;
            }
            try {
                if (removeFinalizersAndDelete(s, read.get())) {
                    deleteDone(s);
                } else {
                    gone.incrementAndGet();
                    progress.step("already gone", s);
                }
                return;
            } catch (GuardedWrites.NotTheArchivedObject conflict) {
                oursMayHaveLanded = true; // read again: was it our own write whose answer was lost?
            }
        }
        report(s.leftAlone("kept changing between its reads and the delete; run release-source again"));
    }

    private void deleteDone(ReleaseStep s) {
        journal.append("delete", EntryPaths.id(s.id()), s.uid());
        deletedSteps.add(s);
        deleted.incrementAndGet();
        progress.step("deleted", s);
    }

    /** False when the object was found gone. */
    private boolean removeFinalizersAndDelete(ReleaseStep s, ObjectNode live) {
        String version = live.path("metadata").path("resourceVersion").asText();
        if (!live.path("metadata").path("finalizers").isEmpty()) {
            ObjectNode after = writes.removeFinalizers(s.type(), s.id(), s.uid(), version);
            if (after == null) {
                return false;
            }
            version = after.path("metadata").path("resourceVersion").asText();
        }
        return writes.delete(s.type(), s.id(), s.uid(), version);
    }

    private static boolean beingDeleted(ReleaseStep s, ObjectNode live) {
        return live.path("metadata").hasNonNull("deletionTimestamp") && s.uid().equals(live.path("metadata").path("uid").asText());
    }

    /**
     * The object as read just now must be the archived one, as the plan (or our detach) left it, or, when a write of ours
     * may have landed unanswered, as that finalizer removal left it; else it is reported and left alone.
     */
    private boolean isAsPlanned(ReleaseStep s, ObjectNode live, boolean finalizersMayBeOursGone) {
        if (!s.uid().equals(live.path("metadata").path("uid").asText())) {
            report(s.leftAlone("replaced by another object with the same name since the plan was made"));
            return false;
        }
        PlannedState seen = expected.get(s.id());
        if (seen == null || !(seen.stillAsSeen(live) || finalizersMayBeOursGone && seen.stillAsSeenWithoutFinalizers(live))) {
            report(s.leftAlone("changed since the plan (resourceVersion " + (seen == null ? "?" : seen.resourceVersion()) + " -> "
                    + live.path("metadata").path("resourceVersion").asText() + "): someone else is working on it; run release-source again"));
            return false;
        }
        return true;
    }

    private Optional<ObjectNode> read(ReleaseStep s) {
        try {
            return client.get(s.type(), s.id().namespace(), s.id().name());
        } catch (RuntimeException e) {
            GuardedWrites.SourceUnreachable.check(e, "read " + s.id());
            throw ApiErrors.describe(e, "get", s.id().toString(), conn.server());
        }
    }

    /** The objects of {@code step}'s kind in {@code ns} ("" for a cluster-scoped kind), by name. */
    private Map<String, ObjectNode> list(ReleaseStep step, String ns) {
        Map<String, ObjectNode> out = new HashMap<>();
        String where = step.type().qualifiedResource() + (ns.isEmpty() ? "" : " in namespace " + ns);
        try {
            client.list(step.type(), ns.isEmpty() ? null : ns).items().forEach(o -> out.put(o.path("metadata").path("name").asText(), o));
        } catch (RuntimeException e) {
            GuardedWrites.SourceUnreachable.check(e, "list " + where);
            throw ApiErrors.describe(e, "list", where, conn.server());
        }
        return out;
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
}

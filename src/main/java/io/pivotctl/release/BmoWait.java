package io.pivotctl.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.graph.ObjectId;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Waits until BMO reports every detached host {@code status.operationalStatus: detached} (one list per namespace and
 * poll), or fails naming the hosts still waited for. A host replaced meanwhile is reported and no longer waited for.
 */
final class BmoWait {

    private static final long REPORT_EVERY_NANOS = 10_000_000_000L;

    private final ReleaseJournal journal;
    private final ReleaseProgress progress;
    /** Lists the hosts of one namespace by name (the caller rides out outages of the source). */
    private final BiFunction<ReleaseStep, String, Map<String, ObjectNode>> list;
    private final Consumer<ReleaseStep> leftAlone;

    BmoWait(ReleaseJournal journal, ReleaseProgress progress, BiFunction<ReleaseStep, String, Map<String, ObjectNode>> list,
            Consumer<ReleaseStep> leftAlone) {
        this.journal = journal;
        this.progress = progress;
        this.list = list;
        this.leftAlone = leftAlone;
    }

    /** {@code beforeEachPoll} stops the wait (Ctrl-C) by throwing. */
    void await(List<ReleaseStep> hosts, Duration timeout, Duration poll, Runnable beforeEachPoll) {
        Map<ObjectId, ReleaseStep> pending = new LinkedHashMap<>();
        hosts.forEach(h -> pending.put(h.id(), h));
        long start = System.nanoTime();
        long lastReport = start - REPORT_EVERY_NANOS;
        int lastDone = -1;
        while (!pending.isEmpty()) {
            beforeEachPoll.run();
            pollOnce(pending);
            long now = System.nanoTime();
            int done = hosts.size() - pending.size();
            if (done != lastDone || now - lastReport >= REPORT_EVERY_NANOS || pending.isEmpty()) {
                progress.waiting(done, hosts.size(), (now - start) / 1_000_000_000L, timeout.toSeconds());
                lastDone = done;
                lastReport = now;
            }
            if (pending.isEmpty()) {
                return;
            }
            if (now - start >= timeout.toNanos()) {
                timedOut(pending, timeout);
            }
            try {
                Thread.sleep(Math.max(1, Math.min(poll.toMillis(), (timeout.toNanos() - (now - start)) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PivotctlException.failed("interrupted while waiting for BMO to detach the hosts; nothing was deleted, run release-source again");
            }
        }
    }

    private void pollOnce(Map<ObjectId, ReleaseStep> pending) {
        Map<String, Map<String, ObjectNode>> byNamespace = new HashMap<>();
        for (ReleaseStep h : pending.values()) {
            byNamespace.computeIfAbsent(h.id().namespace(), ns -> list.apply(h, ns));
        }
        for (ReleaseStep h : List.copyOf(pending.values())) {
            ObjectNode live = byNamespace.get(h.id().namespace()).get(h.id().name());
            if (live == null) {
                pending.remove(h.id());
            } else if (!h.uid().equals(live.path("metadata").path("uid").asText())) {
                pending.remove(h.id());
                leftAlone.accept(h.leftAlone("replaced by another object with the same name while waiting for BMO"));
            } else if (Metal3.OPERATIONAL_DETACHED.equals(live.path("status").path("operationalStatus").asText())) {
                pending.remove(h.id());
                journal.append("detached", EntryPaths.id(h.id()), h.uid());
            }
        }
    }

    private void timedOut(Map<ObjectId, ReleaseStep> pending, Duration timeout) {
        journal.append("timeout", null, null);
        List<String> names = pending.keySet().stream().map(id -> id.namespace() + "/" + id.name()).toList();
        String shown = String.join(", ", names.subList(0, Math.min(5, names.size()))) + (names.size() > 5 ? " (+" + (names.size() - 5) + " more)" : "");
        throw PivotctlException.failed("timed out after " + human(timeout) + " waiting for BMO to report status.operationalStatus=detached on "
                + names.size() + " host(s): " + shown + ". Nothing was deleted: the hosts stay in place, annotated detached. Check that the"
                + " source's baremetal-operator runs and the hosts are in a state it detaches (provisioned, externally provisioned, ready,"
                + " available), then run release-source again; if BMO is gone for good, use --detach-timeout 0");
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 60 && s % 60 == 0 ? (s / 60) + "m" : s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }
}

package io.pivotctl.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Waits until the objects this run deleted are gone. An orphaning delete leaves the object in place, Terminating with
 * the {@code orphan} finalizer, until the garbage collector has taken its ownerReference off every dependent; only
 * then is the release finished as far as anyone listing the source can tell. Bounded: a source whose garbage
 * collector does not run keeps them Terminating, and the run says so instead of waiting forever.
 */
final class OrphanWait {

    static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final long POLL_MILLIS = 500;
    private static final long REPORT_EVERY_NANOS = 10_000_000_000L;

    /** Lists one kind in one namespace, by name (the caller rides out outages of the source). */
    private final BiFunction<ReleaseStep, String, Map<String, ObjectNode>> list;
    private final ReleaseProgress progress;

    OrphanWait(BiFunction<ReleaseStep, String, Map<String, ObjectNode>> list, ReleaseProgress progress) {
        this.list = list;
        this.progress = progress;
    }

    /** Returns the deleted objects still there (Terminating) when the wait ended: empty when all are gone. */
    List<ReleaseStep> await(List<ReleaseStep> deleted, Runnable beforeEachPoll) {
        List<ReleaseStep> pending = new ArrayList<>(deleted);
        long start = System.nanoTime();
        long lastReport = 0;
        while (true) {
            beforeEachPoll.run();
            Map<String, Map<String, ObjectNode>> lists = new HashMap<>();
            pending.removeIf(s -> {
                ObjectNode live = lists.computeIfAbsent(s.type().qualifiedResource() + "@" + s.id().namespace(), k -> list.apply(s, s.id().namespace()))
                        .get(s.id().name());
                return live == null || !s.uid().equals(live.path("metadata").path("uid").asText());
            });
            long elapsed = System.nanoTime() - start;
            boolean done = pending.isEmpty() || elapsed >= TIMEOUT.toNanos();
            if (done || elapsed - lastReport >= REPORT_EVERY_NANOS) {
                progress.orphaning(deleted.size() - pending.size(), deleted.size(), elapsed / 1_000_000_000L);
                lastReport = elapsed;
            }
            if (done) {
                return List.copyOf(pending);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.copyOf(pending);
            }
        }
    }
}

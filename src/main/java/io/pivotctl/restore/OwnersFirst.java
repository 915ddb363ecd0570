package io.pivotctl.restore;

import io.pivotctl.PivotctlException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Runs one task per item on a bounded pool, each as soon as the items it depends on have completed: no level
 * waits for the slowest object of the level before it. Among items ready at the same time, the one listed
 * first starts first (callers list owners-first, as the levels did).
 *
 * <p>An item never starts before every item it depends on completed, so the order in which tasks complete (the
 * journal's order) has owners before their dependents, and undoing it newest-first removes dependents first.
 * The first failure stops new starts; the tasks in flight finish, then it is rethrown. A dependency on an item
 * that is not in the list is ignored (it is not this run's to wait for). Should the dependencies form a cycle,
 * the waiting item listed first is started once nothing else can run, as the levels ignored owners inside a
 * cycle: the run never deadlocks.
 */
final class OwnersFirst {

    private OwnersFirst() {
    }

    /**
     * Runs {@code task} for every item of {@code items}; {@code dependsOn[i]} holds the indexes of the items
     * item {@code i} waits for (out-of-range indexes are ignored). At most {@code concurrency} tasks run at once.
     */
    static <T> void run(List<T> items, int[][] dependsOn, int concurrency, Consumer<T> task) {
        if (items.isEmpty()) {
            return;
        }
        new Schedule<>(items, dependsOn, concurrency, task).runAll();
    }

    /** One run: who waits for whom, what is ready, in flight and done, and the first failure. Used by the calling thread only. */
    private static final class Schedule<T> {
        private final List<T> items;
        private final int concurrency;
        private final Consumer<T> task;
        private final int[] waitingFor;
        private final List<List<Integer>> dependents;
        private final PriorityQueue<Integer> ready = new PriorityQueue<>();
        private final boolean[] started;
        private final LinkedBlockingQueue<Done> done = new LinkedBlockingQueue<>();
        private int nextUnstarted; // scan position for breaking a cycle
        private int inFlight;
        private int completed;
        private RuntimeException failure;

        Schedule(List<T> items, int[][] dependsOn, int concurrency, Consumer<T> task) {
            int n = items.size();
            this.items = items;
            this.concurrency = concurrency;
            this.task = task;
            this.waitingFor = new int[n];
            this.started = new boolean[n];
            this.dependents = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                dependents.add(new ArrayList<>(0));
            }
            for (int i = 0; i < n; i++) {
                int[] deps = dependsOn[i] == null ? new int[0] : dependsOn[i];
                Set<Integer> seen = new HashSet<>();
                for (int d : deps) {
                    if (d >= 0 && d < n && d != i && seen.add(d)) {
                        waitingFor[i]++;
                        dependents.get(d).add(i);
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                if (waitingFor[i] == 0) {
                    ready.add(i);
                }
            }
        }

        void runAll() {
            int n = items.size();
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, n)), r -> {
                Thread t = new Thread(r, "pivotctl-apply");
                t.setDaemon(true);
                return t;
            });
            try {
                while (completed < n && failure == null) {
                    startReady(pool);
                    if (inFlight == 0) {
                        breakCycle(); // nothing runs and nothing is ready, yet items remain: they wait on each other
                        continue;
                    }
                    complete(done.take());
                }
                while (inFlight > 0) { // a failure stops new starts; what is in flight finishes before anyone reads the journal
                    Done d = done.take();
                    inFlight--;
                    if (failure == null && d.failure() != null) {
                        failure = asRuntime(d.failure());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.shutdownNow();
                throw PivotctlException.failed("interrupted");
            } finally {
                pool.shutdown();
            }
            rethrowFailure();
        }

        private void startReady(ExecutorService pool) {
            while (inFlight < concurrency && !ready.isEmpty()) {
                int i = ready.poll();
                started[i] = true;
                inFlight++;
                T item = items.get(i);
                pool.execute(() -> {
                    try {
                        task.accept(item);
                        done.add(new Done(i, null));
                    } catch (RuntimeException | Error e) {
                        done.add(new Done(i, e));
                    }
                });
            }
        }

        /** Starts the first waiting item listed, as the levels ignored owners inside a cycle. */
        private void breakCycle() {
            while (started[nextUnstarted]) {
                nextUnstarted++;
            }
            ready.add(nextUnstarted);
            waitingFor[nextUnstarted] = 0;
        }

        /** One task ended: its failure stops new starts; otherwise its dependents that waited only for it become ready. */
        private void complete(Done d) {
            inFlight--;
            completed++;
            if (d.failure() != null) {
                failure = asRuntime(d.failure());
                return;
            }
            for (int dependent : dependents.get(d.index())) {
                if (--waitingFor[dependent] == 0 && !started[dependent]) {
                    ready.add(dependent);
                }
            }
        }

        private void rethrowFailure() {
            if (failure != null) {
                if (failure instanceof IllegalStateException && failure.getCause() instanceof Error err) {
                    throw err;
                }
                throw failure;
            }
        }

        private static RuntimeException asRuntime(Throwable t) {
            return t instanceof RuntimeException re ? re : new IllegalStateException(t);
        }
    }

    private record Done(int index, Throwable failure) {
    }
}

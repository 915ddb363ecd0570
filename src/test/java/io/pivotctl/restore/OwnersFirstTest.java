package io.pivotctl.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OwnersFirstTest {

    /** What the tasks did, in order: "start i" and "done i" events. */
    static final class Log {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        int indexOf(String event) {
            synchronized (events) {
                return events.indexOf(event);
            }
        }

        List<Integer> completed() {
            synchronized (events) {
                return events.stream().filter(e -> e.startsWith("done ")).map(e -> Integer.parseInt(e.substring(5))).toList();
            }
        }

        Set<Integer> started() {
            synchronized (events) {
                Set<Integer> out = new HashSet<>();
                events.stream().filter(e -> e.startsWith("start ")).forEach(e -> out.add(Integer.parseInt(e.substring(6))));
                return out;
            }
        }
    }

    static List<Integer> items(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** A random owner forest: each item depends on up to three items listed before it. */
    static int[][] randomDag(int n, long seed) {
        Random r = new Random(seed);
        int[][] deps = new int[n][];
        for (int i = 0; i < n; i++) {
            int k = i == 0 ? 0 : r.nextInt(Math.min(i, 3) + 1);
            deps[i] = new int[k];
            for (int j = 0; j < k; j++) {
                deps[i][j] = r.nextInt(i);
            }
        }
        return deps;
    }

    @Test
    @Timeout(60)
    void noItemStartsBeforeEveryItemItDependsOnCompleted() {
        for (long seed = 1; seed <= 20; seed++) {
            int n = 300;
            int[][] deps = randomDag(n, seed);
            Log log = new Log();
            OwnersFirst.run(items(n), deps, 8, i -> {
                log.events.add("start " + i);
                Thread.yield();
                log.events.add("done " + i);
            });
            assertEquals(n, log.completed().size(), "every item ran once");
            for (int i = 0; i < n; i++) {
                for (int d : deps[i]) {
                    assertTrue(log.indexOf("done " + d) < log.indexOf("start " + i), "seed " + seed + ": " + i + " started before its owner " + d + " was done");
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void itemsDoNotWaitForUnrelatedSlowItems() throws Exception {
        // 0 is slow and owns 1; 2 owns 3. With levels, 3 would wait for 0 (same level as 2). Here it must not.
        java.util.concurrent.CountDownLatch threeDone = new java.util.concurrent.CountDownLatch(1);
        Log log = new Log();
        OwnersFirst.run(items(4), new int[][] {{}, {0}, {}, {2}}, 4, i -> {
            if (i == 0) {
                try {
                    threeDone.await(); // 0 completes only after 3 did: would deadlock with a level barrier
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            log.events.add("done " + i);
            if (i == 3) {
                threeDone.countDown();
            }
        });
        List<Integer> order = log.completed();
        assertTrue(order.indexOf(3) < order.indexOf(0), "3 ran while its level-0 neighbour 0 was still running: " + order);
        assertTrue(order.indexOf(0) < order.indexOf(1), order.toString());
    }

    @Test
    @Timeout(60)
    void aFailureStopsNewStartsAndTheCompletionOrderUndoesDependentsFirst() {
        int n = 200;
        int[][] deps = randomDag(n, 7);
        Log log = new Log();
        RuntimeException boom = new RuntimeException("boom");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> OwnersFirst.run(items(n), deps, 4, i -> {
            log.events.add("start " + i);
            if (i == 60) {
                throw boom;
            }
            log.events.add("done " + i);
        }));
        assertSame(boom, thrown, "the first failure is rethrown as it was");
        Set<Integer> started = log.started();
        // rollback undoes the journal newest first: every dependent comes before its owners
        List<Integer> undo = new ArrayList<>(log.completed());
        Collections.reverse(undo);
        for (int i : undo) {
            for (int d : deps[i]) {
                assertTrue(undo.contains(d), i + " completed, so its owner " + d + " did");
                assertTrue(undo.indexOf(i) < undo.indexOf(d), "dependent " + i + " is undone before its owner " + d);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int d : deps[i]) {
                if (d == 60) {
                    assertFalse(started.contains(i), i + " depends on the failed item and never started");
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void withOneWorkerNothingStartsAfterTheFailure() {
        Log log = new Log();
        assertThrows(IllegalStateException.class, () -> OwnersFirst.run(items(10), new int[10][], 1, i -> {
            log.events.add("start " + i);
            if (i == 3) {
                throw new IllegalStateException("no");
            }
        }));
        assertEquals(Set.of(0, 1, 2, 3), log.started());
    }

    @Test
    @Timeout(60)
    void aCycleOrAMissingDependencyDoesNotDeadlock() {
        Log log = new Log();
        // 0 and 1 wait on each other, 2 waits on 0, 3 waits on an item that is not in the list, 4 on itself
        OwnersFirst.run(items(5), new int[][] {{1}, {0}, {0}, {42, -1}, {4}}, 2, i -> log.events.add("done " + i));
        List<Integer> order = log.completed();
        assertEquals(Set.of(0, 1, 2, 3, 4), new HashSet<>(order), "everything ran");
        assertTrue(order.indexOf(0) < order.indexOf(1), "the cycle is broken at the item listed first: " + order);
        assertTrue(order.indexOf(0) < order.indexOf(2), order.toString());
    }

    @Test
    @Timeout(60)
    void readyItemsStartInListOrder() {
        Log log = new Log();
        OwnersFirst.run(items(6), new int[][] {{}, {}, {0}, {}, {}, {}}, 1, i -> log.events.add("done " + i));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), log.completed(), "an item ready earlier in the list goes first (owners-first order)");
    }
}

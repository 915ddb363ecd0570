package io.pivotctl.kube;

import io.pivotctl.PivotctlException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Runs one API call per item on a bounded pool. The first failure stops new work and is rethrown
 * after in-flight calls finish, so callers (rollback, journal) see a consistent state.
 */
public final class Parallel {

    private Parallel() {
    }

    public static <T, R> List<R> map(List<T> items, int concurrency, Function<T, R> fn) {
        if (items.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, items.size())), r -> {
            Thread t = new Thread(r, "pivotctl-api");
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean failed = new AtomicBoolean();
        try {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    if (failed.get() || Thread.currentThread().isInterrupted()) {
                        return null;
                    }
                    try {
                        return fn.apply(item);
                    } catch (RuntimeException e) {
                        failed.set(true);
                        throw e;
                    }
                }));
            }
            List<R> out = new ArrayList<>(items.size());
            RuntimeException first = null;
            for (Future<R> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                    }
                    out.add(null);
                }
            }
            if (first != null) {
                throw first;
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PivotctlException.failed("interrupted");
        } finally {
            pool.shutdownNow();
        }
    }
}

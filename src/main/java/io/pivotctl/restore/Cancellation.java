package io.pivotctl.restore;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Asks a running import to stop (Ctrl-C, SIGTERM: the CLI's signal handling calls {@link #cancel}) and lets the
 * asker wait until the import has cleaned up ({@link #awaitSettled}). The import checks it between writes.
 */
public final class Cancellation {

    private volatile boolean cancelled;
    private final CountDownLatch settled = new CountDownLatch(1);

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Throws {@link CancelledException} once cancelled. */
    void check() {
        if (cancelled) {
            throw new CancelledException();
        }
    }

    /** Called by the import when it has finished or rolled back. */
    public void settled() {
        settled.countDown();
    }

    /** Waits until the import settled, at most {@code seconds}. */
    public void awaitSettled(long seconds) {
        try {
            settled.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Thrown inside workers when the import was asked to stop. */
    static final class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CancelledException() {
            super("interrupted (Ctrl-C/SIGTERM)");
        }
    }
}

package io.pivotctl.kube;

import java.util.concurrent.locks.LockSupport;

/** A simple shared token spacing: at most {@code qps} requests per second across all threads. */
public final class RateLimiter {

    private final long intervalNanos;
    private long next;

    public RateLimiter(double qps) {
        this.intervalNanos = qps <= 0 ? 0 : (long) (1_000_000_000L / qps);
    }

    public void acquire() {
        if (intervalNanos == 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            next = Math.max(next, now);
            wait = next - now;
            next += intervalNanos;
        }
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}

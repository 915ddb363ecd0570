package io.pivotctl.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries transient API failures (429, 5xx, connection reset/refused, timeouts) with exponential
 * backoff and full jitter, honouring Retry-After. Permanent errors (4xx) fail at once. Bounded in
 * attempts and total time so a dead server is reported, not waited on forever.
 */
public record Retry(int maxAttempts, long baseDelayMillis, long maxDelayMillis) {

    public static final Retry DEFAULT = new Retry(7, 200, 5_000);
    public static final Retry NONE = new Retry(1, 0, 0);

    /** Hears about each transient failure before the wait that follows it. */
    @FunctionalInterface
    public interface Listener {
        void retrying(int attempt, long delayMillis, RuntimeException failure);
    }

    public <T> T call(Supplier<T> action) {
        return call(action, (attempt, delay, failure) -> { });
    }

    public <T> T call(Supplier<T> action, Listener listener) {
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                if (attempt >= maxAttempts || !ApiErrors.isTransient(e) || interrupted(e)) {
                    throw e;
                }
                long delay = delayFor(attempt, e);
                listener.retrying(attempt, delay, e);
                sleep(delay);
            }
        }
    }

    public void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Work being cancelled (Ctrl-C, a sibling failed) is not retried; a socket timeout is an InterruptedIOException too, but transient. */
    private static boolean interrupted(Throwable e) {
        boolean interruptedIo = ApiErrors.find(e, java.io.InterruptedIOException.class) != null
                && ApiErrors.find(e, java.net.SocketTimeoutException.class) == null;
        return Thread.currentThread().isInterrupted() || ApiErrors.find(e, InterruptedException.class) != null || interruptedIo;
    }

    long delayFor(int attempt, Throwable e) {
        long retryAfter = retryAfterMillis(e);
        long exp = Math.min(maxDelayMillis, baseDelayMillis << Math.min(attempt - 1, 20));
        long jittered = exp <= 0 ? 0 : ThreadLocalRandom.current().nextLong(exp / 2, exp + 1);
        return Math.max(jittered, Math.min(retryAfter, 30_000));
    }

    static long retryAfterMillis(Throwable e) {
        KubernetesClientException k = ApiErrors.answered(e);
        if (k != null && k.getStatus() != null && k.getStatus().getDetails() != null
                && k.getStatus().getDetails().getRetryAfterSeconds() != null) {
            return k.getStatus().getDetails().getRetryAfterSeconds() * 1000L;
        }
        return 0;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while waiting to retry", ie);
        }
    }
}

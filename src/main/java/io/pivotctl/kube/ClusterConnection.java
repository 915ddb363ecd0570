package io.pivotctl.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Supplier;

/** An open client plus what came with it: the context's default namespace, our request budget and retry policy. */
public record ClusterConnection(KubernetesClient client, String defaultNamespace, RateLimiter rateLimiter, int concurrency, ApiEvents events,
        long chunkSize) implements AutoCloseable {

    /** With lists read in pages of {@link ResourceClient#PAGE_SIZE}. */
    public ClusterConnection(KubernetesClient client, String defaultNamespace, RateLimiter rateLimiter, int concurrency, ApiEvents events) {
        this(client, defaultNamespace, rateLimiter, concurrency, events, ResourceClient.PAGE_SIZE);
    }

    public String server() {
        return client.getMasterUrl().toString();
    }

    /**
     * Runs one API call under the rate limit with {@link Retry#DEFAULT}, reporting retries and the outcome to
     * {@link #events()}. {@code what} names the verb and the object or resource.
     */
    public <T> T call(String what, Supplier<T> action) {
        return call(what, Retry.DEFAULT, action);
    }

    public <T> T call(String what, Retry retry, Supplier<T> action) {
        long start = System.nanoTime();
        try {
            T result = retry.call(() -> {
                rateLimiter.acquire();
                return action.get();
            }, (attempt, delay, failure) -> events.retrying(what, attempt, retry.maxAttempts(), delay, ApiErrors.shortReason(failure)));
            events.request(what, (System.nanoTime() - start) / 1_000_000, "ok");
            return result;
        } catch (RuntimeException e) {
            events.request(what, (System.nanoTime() - start) / 1_000_000, ApiErrors.shortReason(e));
            throw e;
        }
    }

    /**
     * Waits until the server answers again, up to {@code maxMillis} (one probe a second): used before a rollback
     * after the server went away mid-import. True when it answers.
     */
    public boolean awaitReachable(long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        while (true) {
            try {
                client.getKubernetesVersion();
                return true;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}

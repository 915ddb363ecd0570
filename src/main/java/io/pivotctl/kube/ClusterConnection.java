package io.pivotctl.kube;

import io.fabric8.kubernetes.client.KubernetesClient;

/** An open client plus what came with it: the context's default namespace and our request budget. */
public record ClusterConnection(KubernetesClient client, String defaultNamespace, RateLimiter rateLimiter, int concurrency)
        implements AutoCloseable {

    public String server() {
        return client.getMasterUrl().toString();
    }

    @Override
    public void close() {
        client.close();
    }
}

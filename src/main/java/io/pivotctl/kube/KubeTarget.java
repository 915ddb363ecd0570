package io.pivotctl.kube;

import java.nio.file.Path;

/**
 * Which cluster to talk to, resolved like kubectl: {@code --kubeconfig}, else the first file of
 * {@code KUBECONFIG}, else {@code ~/.kube/config}; {@code --context} or the current context.
 * {@code qps}/{@code concurrency} bound the client's request rate; {@code events} hears about requests and retries;
 * {@code chunkSize} objects per list page.
 */
public record KubeTarget(Path kubeconfig, String context, int concurrency, double qps, ApiEvents events, long chunkSize) {

    public static final int DEFAULT_CONCURRENCY = 16;
    public static final double DEFAULT_QPS = 200;

    public KubeTarget(Path kubeconfig, String context, int concurrency, double qps) {
        this(kubeconfig, context, concurrency, qps, ApiEvents.NONE);
    }

    /** Lists read in pages of {@link ResourceClient#PAGE_SIZE} objects. */
    public KubeTarget(Path kubeconfig, String context, int concurrency, double qps, ApiEvents events) {
        this(kubeconfig, context, concurrency, qps, events, ResourceClient.PAGE_SIZE);
    }

    /** The same cluster, lists read {@code chunkSize} objects per request (0: unpaged), like kubectl's --chunk-size. */
    public KubeTarget withChunkSize(long chunkSize) {
        return new KubeTarget(kubeconfig, context, concurrency, qps, events, chunkSize);
    }

    public static KubeTarget of(Path kubeconfig, String context) {
        return new KubeTarget(kubeconfig, context, DEFAULT_CONCURRENCY, DEFAULT_QPS);
    }
}

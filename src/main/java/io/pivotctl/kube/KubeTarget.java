package io.pivotctl.kube;

import java.nio.file.Path;

/**
 * Which cluster to talk to, resolved like kubectl: {@code --kubeconfig}, else the first file of
 * {@code KUBECONFIG}, else {@code ~/.kube/config}; {@code --context} or the current context.
 * {@code qps}/{@code concurrency} bound the client's request rate; {@code events} hears about requests and retries.
 */
public record KubeTarget(Path kubeconfig, String context, int concurrency, double qps, ApiEvents events) {

    public static final int DEFAULT_CONCURRENCY = 16;
    public static final double DEFAULT_QPS = 200;

    public KubeTarget(Path kubeconfig, String context, int concurrency, double qps) {
        this(kubeconfig, context, concurrency, qps, ApiEvents.NONE);
    }

    public static KubeTarget of(Path kubeconfig, String context) {
        return new KubeTarget(kubeconfig, context, DEFAULT_CONCURRENCY, DEFAULT_QPS);
    }
}

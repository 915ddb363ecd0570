package io.pivotctl.cli;

import io.pivotctl.kube.KubeTarget;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** kubectl's connection options, shared by every command that talks to a cluster. */
final class KubeOptions {

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context (default: the current context).")
    String context;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16", description = "Parallel API requests (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--qps", paramLabel = "N", defaultValue = "200", description = "Client-side request rate limit per second (default: ${DEFAULT-VALUE}).")
    double qps;

    KubeTarget target() {
        return new KubeTarget(kubeconfig, context, Math.max(1, concurrency), qps);
    }
}

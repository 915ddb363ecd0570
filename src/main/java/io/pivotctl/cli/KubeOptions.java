package io.pivotctl.cli;

import io.pivotctl.PivotctlException;
import io.pivotctl.kube.ApiEvents;
import io.pivotctl.kube.KubeTarget;
import io.pivotctl.kube.RequestCount;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** kubectl's connection options, shared by every command that talks to a cluster; {@code -v} is the API-request trace. */
final class KubeOptions implements OptionCheck {

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context (default: the current context).")
    String context;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16", description = "Parallel API requests (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--qps", paramLabel = "N", defaultValue = "200", description = "Client-side request rate limit per second (default: ${DEFAULT-VALUE}).")
    double qps;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "500",
            description = "Read lists in pages of N objects, as kubectl does; 0 reads each list in one request (default: ${DEFAULT-VALUE}).")
    long chunkSize;

    @Option(names = {"-v", "--verbose"}, description = "Print every API request (verb, object, time, outcome; never a body) on stderr, and at the end how many requests were sent.")
    boolean verbose;

    /** Every request sent through targets made here; printed as the last -v line (see PivotctlCommand). */
    final RequestCount requests = new RequestCount();

    @Override
    public void check() {
        if (chunkSize < 0) {
            throw PivotctlException.usage("--chunk-size must be 0 (no paging) or a positive number of objects per page, not " + chunkSize);
        }
    }

    /** The cluster to talk to; retries are reported on {@code console} (unless -q), every request too with -v. */
    KubeTarget target(Console console) {
        return target(console, kubeconfig, context);
    }

    /** Another cluster (e.g. release-source's --verified-on) with the same request budget and reporting. */
    KubeTarget target(Console console, Path otherKubeconfig, String otherContext) {
        return new KubeTarget(otherKubeconfig, otherContext, Math.max(1, concurrency), qps, new ApiEvents() {
            @Override
            public void request(String what, long millis, String outcome) {
                if (verbose) {
                    console.trace(String.format("[api] %s: %s (%d ms)", what, outcome, millis));
                }
            }

            @Override
            public void sent(String method, boolean dryRun) {
                requests.record(method, dryRun);
            }

            @Override
            public void retrying(String what, int attempt, int maxAttempts, long delayMillis, String reason) {
                console.progress(String.format("  retrying %s after %s (attempt %d of %d in %.1fs)", what, reason, attempt + 1, maxAttempts,
                        delayMillis / 1000.0));
            }
        }).withChunkSize(chunkSize);
    }
}

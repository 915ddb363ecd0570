package io.pivotctl.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.pivotctl.PivotctlException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds a fabric8 client from a {@link KubeTarget}, with kubectl's kubeconfig resolution. */
public final class KubeConnector {

    private KubeConnector() {
    }

    public static Path resolveKubeconfig(Path explicit) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw PivotctlException.usage("kubeconfig " + explicit + " does not exist");
            }
            return explicit;
        }
        String env = System.getenv("KUBECONFIG");
        if (env != null && !env.isBlank()) {
            for (String part : env.split(File.pathSeparator)) {
                if (!part.isBlank() && Files.isRegularFile(Path.of(part))) {
                    return Path.of(part);
                }
            }
            throw PivotctlException.usage("no kubeconfig file found in KUBECONFIG=" + env);
        }
        Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
        if (!Files.isRegularFile(home)) {
            throw PivotctlException.usage("no kubeconfig: pass --kubeconfig FILE, set KUBECONFIG, or create " + home);
        }
        return home;
    }

    public static ClusterConnection connect(KubeTarget target) {
        Path file = resolveKubeconfig(target.kubeconfig());
        String content;
        try {
            content = Files.readString(file);
        } catch (IOException e) {
            throw PivotctlException.usage("cannot read kubeconfig " + file + ": " + e.getMessage());
        }
        Config config;
        try {
            config = Config.fromKubeconfig(target.context(), content, file.toString());
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw PivotctlException.usage("invalid kubeconfig " + file + (target.context() != null ? " (context " + target.context() + ")" : "") + ": " + why);
        }
        if (target.context() != null && config.getCurrentContext() != null
                && !target.context().equals(config.getCurrentContext().getName())) {
            throw PivotctlException.usage("context " + target.context() + " not found in kubeconfig " + file);
        }
        // Retries are ours (Retry), with backoff, jitter and Retry-After: fabric8's own would double them.
        config.setRequestRetryBackoffLimit(0);
        config.setMaxConcurrentRequests(Math.max(64, target.concurrency() * 2));
        config.setMaxConcurrentRequestsPerHost(Math.max(8, target.concurrency() * 2));
        config.setConnectionTimeout(10_000);
        config.setRequestTimeout(60_000);
        config.setLoggingInterval(0);
        ApiEvents events = target.events();
        // every attempt goes through the interceptors, so retries and discovery are counted too
        Interceptor counting = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                events.sent(request.method(), RequestCount.isDryRun(request.uri()));
            }
        };
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("pivotctl-request-count", counting)).build();
        String namespace = config.getNamespace() == null || config.getNamespace().isBlank() ? "default" : config.getNamespace();
        return new ClusterConnection(client, namespace, new RateLimiter(target.qps()), target.concurrency(), target.events(), target.chunkSize());
    }
}

package io.pivotctl.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * One real kube-apiserver 1.20.2 + etcd (the envtest binaries from scripts/setup-envtest.sh),
 * started by fabric8 kube-api-test on loopback, with an admin client and a kubeconfig file.
 */
public final class TestApiServer implements AutoCloseable {

    public static final String K8S_VERSION = "1.20.2";
    private static final int STARTUP_TIMEOUT_MILLIS = 60_000;

    private final KubeAPIServer server;
    private final KubernetesClient client;
    private final Path kubeconfig;
    private final Path tokenFile;
    private ControllerManager controllers;
    private java.util.Set<String> crdsWhenControllersStarted;

    private TestApiServer(KubeAPIServer server, KubernetesClient client, Path kubeconfig, Path tokenFile) {
        this.server = server;
        this.client = client;
        this.kubeconfig = kubeconfig;
        this.tokenFile = tokenFile;
    }

    public static Path binaryDir() {
        String base = System.getenv().getOrDefault("KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.kubeapitest");
        return Path.of(base, "k8s", K8S_VERSION + "-linux-amd64");
    }

    /** Skips the calling test when the binaries are missing, except under CI where that is a failure. */
    public static void requireBinaries() {
        Path dir = binaryDir();
        boolean present = Files.isExecutable(dir.resolve("kube-apiserver")) && Files.isExecutable(dir.resolve("etcd"));
        String msg = "envtest binaries missing in " + dir + ": run scripts/setup-envtest.sh";
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(msg + " (CI=true: integration tests must not skip)");
        }
        Assumptions.assumeTrue(present, msg);
    }

    /**
     * A new server that also accepts {@link #PROXY_TOKEN} (a static token file), so that any server can have a
     * {@link FaultProxy} in front of it: the proxy passes requests through without holding a client certificate.
     */
    public static TestApiServer start() {
        try {
            return start(Files.createTempDirectory("pivotctl-tokens").resolve("tokens.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bearer token every server accepts, for user "proxy" in group system:masters. */
    public static final String PROXY_TOKEN = "pivotctl-test-proxy-token";

    /**
     * kube-api-test gives up at once when the apiserver process exits early (seen once in a full run: every class after
     * the demo failed within 50 ms, leaving its etcd running); stop what it started and try once more, saying so.
     */
    private static KubeAPIServer startOnce(KubeAPIServerConfigBuilder config) {
        notAcrossMidnight();
        KubeAPIServer server = new KubeAPIServer(config.build());
        try {
            server.start();
            return server;
        } catch (RuntimeException first) {
            try {
                server.stop();
            } catch (RuntimeException ignored) {
                // it may have started nothing
            }
            System.err.println("[TestApiServer] kube-apiserver did not start (" + first.getMessage() + "); retrying once in 3 s");
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw first;
            }
            notAcrossMidnight();
            KubeAPIServer retry = new KubeAPIServer(config.build());
            retry.start();
            return retry;
        }
    }

    /**
     * kube-api-test measures its start-up timeout on {@code LocalTime}, which wraps at midnight: a start begun less
     * than the timeout before midnight gives up at once ("did not start properly", seen on three classes in a row of
     * a full run at 23:59). Such a start waits until midnight has passed.
     */
    private static void notAcrossMidnight() {
        long untilMidnight = java.time.Duration.between(java.time.LocalTime.now(), java.time.LocalTime.MAX).toMillis();
        if (untilMidnight < STARTUP_TIMEOUT_MILLIS + 1_000) {
            try {
                Thread.sleep(untilMidnight + 1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** As {@link #start()}, with the token file at {@code tokenFile}, in a directory of its own that {@link #close()} removes. */
    private static TestApiServer start(Path tokenFile) {
        requireBinaries();
        KubeAPIServerConfigBuilder config = KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withApiServerVersion(K8S_VERSION)
                .withUpdateKubeConfig(false)
                .withStartupTimeout(STARTUP_TIMEOUT_MILLIS);
        try {
            Files.writeString(tokenFile, PROXY_TOKEN + ",proxy,proxy-uid,\"system:masters\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.withApiServerFlag("--token-auth-file", tokenFile.toString());
        KubeAPIServer server;
        try {
            server = startOnce(config);
        } catch (RuntimeException e) {
            removeTokenFile(tokenFile);
            throw e;
        }
        try {
            Path kubeconfig = Files.createTempFile("pivotctl-test-kubeconfig", ".yaml",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(kubeconfig, server.getKubeConfigYaml());
            Config clientConfig = Config.fromKubeconfig(server.getKubeConfigYaml());
            // a CRD create waits for the apiserver to rebuild its OpenAPI document: past 10 s on two loaded cores
            clientConfig.setRequestTimeout(120_000);
            KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build();
            return new TestApiServer(server, client, kubeconfig, tokenFile);
        } catch (IOException e) {
            server.stop();
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One new server per CRD set, started and given its CRDs in parallel: most of the wait is each apiserver
     * rebuilding its OpenAPI document for every CRD. All are closed when any fails.
     */
    public static List<TestApiServer> startAll(List<CrdSet> crds) {
        crds.forEach(CrdSet::require);
        List<CompletableFuture<TestApiServer>> starting = crds.stream().map(c -> CompletableFuture.supplyAsync(() -> startWith(c))).toList();
        List<TestApiServer> started = new ArrayList<>();
        Throwable failure = null;
        for (CompletableFuture<TestApiServer> f : starting) {
            try {
                started.add(f.join());
            } catch (CompletionException e) {
                failure = e.getCause();
            }
        }
        if (failure != null) {
            started.forEach(TestApiServer::close);
            if (failure instanceof Error err) {
                throw err;
            }
            throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
        }
        return started;
    }

    private static TestApiServer startWith(CrdSet crds) {
        TestApiServer s = start();
        try {
            crds.install(s.client());
            return s;
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
    }

    public KubernetesClient client() {
        return client;
    }

    /** A kubeconfig file (0600) for running pivotctl or kubectl against this server. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    public String kubeconfigYaml() {
        return server.getKubeConfigYaml();
    }

    public String url() {
        return client.getMasterUrl().toString();
    }

    /**
     * Runs kube-controller-manager's garbage-collector and namespace controllers against this server from now on,
     * as every real cluster does. Call it after installing CRDs (or again after installing more): it restarts the
     * controllers when the CRDs changed since they started, because the garbage collector only watches the resource
     * types that were served when it started (until its 30-second resync). Cheap when nothing changed.
     */
    public synchronized ControllerManager ensureGarbageCollector() {
        java.util.Set<String> crds = new java.util.TreeSet<>();
        client.apiextensions().v1().customResourceDefinitions().list().getItems()
                .forEach(c -> crds.add(c.getMetadata().getName() + "@" + c.getMetadata().getResourceVersion()));
        if (controllers == null) {
            controllers = ControllerManager.start(this);
        } else if (!crds.equals(crdsWhenControllersStarted)) {
            controllers.restart();
        }
        crdsWhenControllersStarted = crds;
        return controllers;
    }

    /** Stops the controllers {@link #ensureGarbageCollector()} started, if any: the server is bare again. */
    public synchronized void stopGarbageCollector() {
        if (controllers != null) {
            controllers.close();
            controllers = null;
            crdsWhenControllersStarted = null;
        }
    }

    /** Creates the namespace unless it exists. */
    public void ensureNamespace(String name) {
        if (client.namespaces().withName(name).get() == null) {
            client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
                    .build()).create();
        }
    }

    /** Whether {@link #ensureGarbageCollector()} started the controllers on this server. */
    public synchronized boolean hasGarbageCollector() {
        return controllers != null;
    }

    private static void removeTokenFile(Path tokenFile) {
        try {
            Files.deleteIfExists(tokenFile);
            Files.deleteIfExists(tokenFile.getParent());
        } catch (IOException ignored) {
            // temp files; nothing to do
        }
    }

    @Override
    public void close() {
        stopGarbageCollector();
        try {
            client.close();
        } finally {
            server.stop();
            try {
                Files.deleteIfExists(kubeconfig);
            } catch (IOException ignored) {
                // a temp file; nothing to do
            }
            removeTokenFile(tokenFile);
        }
    }
}

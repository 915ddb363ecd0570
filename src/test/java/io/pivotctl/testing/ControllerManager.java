package io.pivotctl.testing;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real kube-controller-manager 1.20.2 (built by scripts/setup-envtest.sh from the same Debian source as the
 * apiserver) running only the garbage-collector and namespace controllers against one {@link TestApiServer}.
 * A bare apiserver cascades nothing: without these controllers a delete that would take an owner's dependents,
 * or a namespace's contents, on every real cluster takes nothing in a test, and the test proves nothing.
 *
 * <p>The garbage collector watches the resource types discovery served when it started and picks up new ones only
 * on its 30-second resync, so start it after the test's CRDs are installed (or {@link #restart()} it). {@link #start}
 * returns only once both controllers have been seen doing their work on a probe.
 */
public final class ControllerManager implements AutoCloseable {

    /** Generous: on two cores shared with other servers the first sync over 50 CRDs' types takes a while. */
    private static final Duration READY = Duration.ofSeconds(180);

    private final TestApiServer server;
    private final Path log;
    private Process process;

    private ControllerManager(TestApiServer server, Path log) {
        this.server = server;
        this.log = log;
    }

    public static Path binary() {
        return TestApiServer.binaryDir().resolve("kube-controller-manager");
    }

    /**
     * Fails under {@code CI=true} when the binary is missing (a test of a delete must not pass without the cascades
     * real clusters perform), and skips with one line elsewhere.
     */
    public static void requireBinary() {
        boolean present = Files.isExecutable(binary());
        String msg = "kube-controller-manager missing in " + TestApiServer.binaryDir() + ": run scripts/setup-envtest.sh";
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(msg + " (CI=true: tests of deletes need the garbage collector)");
        }
        Assumptions.assumeTrue(present, msg);
    }

    public static ControllerManager start(TestApiServer server) {
        requireBinary();
        try {
            ControllerManager cm = new ControllerManager(server, Files.createTempFile("pivotctl-kcm", ".log"));
            cm.launch();
            return cm;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary().toString(),
                "--kubeconfig=" + server.kubeconfig(),
                "--controllers=garbagecollector,namespace",
                "--leader-elect=false",
                "--use-service-account-credentials=false",
                "--port=0",
                // the namespace controller lists and deletes every resource type (about 90 with the upstream CRDs) per
                // namespace: at the default 20 requests/s its client throttles itself for seconds per namespace; the
                // controllers decide the same, only sooner
                "--kube-api-qps=200",
                "--kube-api-burst=400",
                "--secure-port=0",
                // resyncs and retries as a real cluster's defaults, but a log that says when the GC synced
                "--v=2"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitLog("all resource monitors have synced", READY);
            probe();
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
    }

    /** Stops and starts again: the garbage collector then watches every resource type served now (new CRDs). */
    public void restart() {
        stop();
        try {
            Files.writeString(log, "");
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Proves both controllers act: a ConfigMap owned by another is collected when its owner is deleted, and a deleted
     * namespace with something in it is emptied and removed. A test also calls it after its deletes, to give the
     * controllers the time a cascade of those deletes would take before it looks at what is left.
     */
    public void probe() {
        KubernetesClient client = server.client();
        String ns = "pivotctl-kcm-probe-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        ConfigMap owner = client.configMaps().inNamespace(ns)
                .resource(new ConfigMapBuilder().withNewMetadata().withName("owner").endMetadata().build()).create();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("dependent")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName("owner")
                        .withUid(owner.getMetadata().getUid()).build())
                .endMetadata().build()).create();
        client.configMaps().inNamespace(ns).withName("owner").delete();
        await("the garbage collector deleted a dependent of a deleted owner",
                () -> client.configMaps().inNamespace(ns).withName("dependent").get() == null);
        client.namespaces().withName(ns).delete();
        await("the namespace controller removed a deleted namespace",
                () -> client.namespaces().withName(ns).get() == null);
    }

    private void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("kube-controller-manager exited before " + what + ":\n" + tail());
            }
            sleep(200);
        }
        throw new IllegalStateException("kube-controller-manager: not seen within " + READY.toSeconds() + " s: " + what + "\n" + tail());
    }

    private void awaitLog(String line, Duration timeout) {
        await("its log said '" + line + "'", () -> {
            try {
                return Files.readString(log, StandardCharsets.UTF_8).contains(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The last lines of its log, for a failure message. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file
        }
    }
}

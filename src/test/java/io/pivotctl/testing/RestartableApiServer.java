package io.pivotctl.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second, real kube-apiserver process in front of a {@link TestApiServer}'s etcd, with the same certificates
 * and flags, that a test may kill (SIGKILL) and start again: the "apiserver died mid-import" fault.
 * kube-api-test tears etcd down when its own apiserver dies, so the fault is injected on this twin instead;
 * the data lives in the shared etcd and survives the kill, as on a real control-plane node.
 */
public final class RestartableApiServer implements AutoCloseable {

    private final List<String> command;
    private final Path kubeconfig;
    private final Path log;
    private Process process;

    private RestartableApiServer(List<String> command, Path kubeconfig, Path log) {
        this.command = command;
        this.kubeconfig = kubeconfig;
        this.log = log;
    }

    /** Starts a twin of {@code primary}'s apiserver on a free loopback port and waits until it serves. */
    public static RestartableApiServer twinOf(TestApiServer primary, Path dir) {
        int primaryPort = URI.create(primary.url()).getPort();
        ProcessHandle original = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("kube-apiserver")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(Integer.toString(primaryPort))).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("no kube-apiserver process serves port " + primaryPort));
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(original.info().command().orElseThrow());
        String[] args = original.info().arguments().orElseThrow();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--secure-port")) {
                command.add(args[i]);
                command.add(Integer.toString(port));
                i++;
            } else if (args[i].startsWith("--secure-port=")) {
                command.add("--secure-port=" + port);
            } else {
                command.add(args[i]);
            }
        }
        try {
            Path kubeconfig = Files.createTempFile(dir, "twin", ".kubeconfig",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(kubeconfig, primary.kubeconfigYaml().replace(":" + primaryPort, ":" + port));
            RestartableApiServer twin = new RestartableApiServer(command, kubeconfig, dir.resolve("twin-apiserver.log"));
            twin.start();
            return twin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts (or starts again) the process and waits until it answers. */
    public void start() {
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // generous: on a shared two-core machine under load a cold apiserver can take minutes to serve its CRDs
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        try (KubernetesClient client = client()) {
            while (true) {
                try {
                    client.getKubernetesVersion();
                    // served CRDs come from etcd through a watch: wait until the custom kinds answer too
                    client.genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inAnyNamespace().list();
                    return;
                } catch (RuntimeException notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        kill(); // never left running without its test
                        throw new IllegalStateException("twin kube-apiserver did not start (log: " + log + ")", notYet);
                    }
                    sleep(200);
                }
            }
        }
    }

    /** SIGKILL: no graceful shutdown, connections drop, requests in flight fail. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(readKubeconfig())).build();
    }

    private String readKubeconfig() {
        try {
            return Files.readString(kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            kill();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

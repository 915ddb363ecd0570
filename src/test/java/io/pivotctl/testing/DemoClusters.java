package io.pivotctl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Demo code: starts two real API servers (source and target) on loopback, installs the CRDs (upstream
 * from ../shared/crds when present, else pivotctl's fixtures), starts kube-controller-manager's garbage-collector and
 * namespace controllers on each (as every real cluster runs them, so the demo's release-source meets real cascades),
 * writes their kubeconfigs to DIR, creates DIR/ready, and runs until killed (the servers stop with the JVM).
 * Usage: {@code DemoClusters DIR}.
 */
public final class DemoClusters {

    private DemoClusters() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = Path.of(args[0]);
        TestApiServer source = TestApiServer.start();
        TestApiServer target = TestApiServer.start();
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            target.close();
            source.close();
        }));
        boolean upstream = Crds.installPreferUpstream(source.client());
        Crds.installPreferUpstream(target.client());
        if (!java.nio.file.Files.isExecutable(ControllerManager.binary())) {
            System.err.println("kube-controller-manager missing in " + TestApiServer.binaryDir() + ": run scripts/setup-envtest.sh");
            System.exit(1);
        }
        // after the CRDs: the garbage collector watches the kinds served when it starts; both at once, each takes a while
        java.util.concurrent.CompletableFuture<?> targetControllers = java.util.concurrent.CompletableFuture.runAsync(target::ensureGarbageCollector);
        source.ensureGarbageCollector();
        targetControllers.join();
        Files.copy(source.kubeconfig(), dir.resolve("source.kubeconfig"));
        Files.copy(target.kubeconfig(), dir.resolve("target.kubeconfig"));
        Files.writeString(dir.resolve("ready"), (upstream ? "upstream CRDs from ../shared/crds" : "pivotctl's own CRD fixtures")
                + "; garbage collector and namespace controller running on both\n");
        forever.await();
    }
}

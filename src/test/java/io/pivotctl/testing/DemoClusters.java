package io.pivotctl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Demo code: starts two real API servers (source and target) on loopback, installs the CRDs (the upstream ones
 * when {@link Crds#upstreamDir()} finds them, else pivotctl's fixtures), starts kube-controller-manager's
 * garbage-collector and namespace controllers on each (as every real cluster runs them, so the demo's release-source
 * meets real cascades), writes their kubeconfigs to DIR, creates DIR/ready, and runs until killed (the servers stop
 * with the JVM). Usage: {@code DemoClusters DIR}.
 */
public final class DemoClusters {

    private DemoClusters() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = Path.of(args[0]);
        List<TestApiServer> both = TestApiServer.startAll(List.of(CrdSet.upstreamOrFixtures(), CrdSet.upstreamOrFixtures()));
        TestApiServer source = both.get(0);
        TestApiServer target = both.get(1);
        boolean upstream = Crds.upstreamDir() != null;
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            target.close();
            source.close();
        }));
        if (!Files.isExecutable(ControllerManager.binary())) {
            System.err.println("kube-controller-manager missing in " + TestApiServer.binaryDir() + ": run scripts/setup-envtest.sh");
            System.exit(1);
        }
        // after the CRDs: the garbage collector watches the kinds served when it starts; both at once, each takes a while
        java.util.concurrent.CompletableFuture<?> targetControllers = java.util.concurrent.CompletableFuture.runAsync(target::ensureGarbageCollector);
        source.ensureGarbageCollector();
        targetControllers.join();
        Files.copy(source.kubeconfig(), dir.resolve("source.kubeconfig"));
        Files.copy(target.kubeconfig(), dir.resolve("target.kubeconfig"));
        Files.writeString(dir.resolve("ready"), (upstream ? "upstream CRDs from " + Crds.upstreamDir() : "pivotctl's own CRD fixtures")
                + "; garbage collector and namespace controller running on both\n");
        forever.await();
    }
}

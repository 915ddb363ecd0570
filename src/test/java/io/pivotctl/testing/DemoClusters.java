package io.pivotctl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Demo code: starts two real API servers (source and target) on loopback, installs the CRDs (the upstream ones
 * when {@link Crds#upstreamDir()} finds them, else pivotctl's fixtures), writes their kubeconfigs to DIR, creates
 * DIR/ready, and runs until killed (the servers stop with the JVM). Usage: {@code DemoClusters DIR}.
 */
public final class DemoClusters {

    private DemoClusters() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = Path.of(args[0]);
        // both at once: most of the wait is each apiserver rebuilding its OpenAPI document per CRD
        CompletableFuture<TestApiServer> startingSource = CompletableFuture.supplyAsync(TestApiServer::start);
        CompletableFuture<TestApiServer> startingTarget = CompletableFuture.supplyAsync(TestApiServer::start);
        TestApiServer source = startingSource.join();
        TestApiServer target = startingTarget.join();
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            target.close();
            source.close();
        }));
        CompletableFuture<Boolean> sourceCrds = CompletableFuture.supplyAsync(() -> Crds.installPreferUpstream(source.client()));
        Crds.installPreferUpstream(target.client());
        boolean upstream = sourceCrds.join();
        Files.copy(source.kubeconfig(), dir.resolve("source.kubeconfig"));
        Files.copy(target.kubeconfig(), dir.resolve("target.kubeconfig"));
        Files.writeString(dir.resolve("ready"), upstream ? "upstream CRDs from " + Crds.upstreamDir() + "\n" : "pivotctl's own CRD fixtures\n");
        forever.await();
    }
}

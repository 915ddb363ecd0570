package io.pivotctl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        TestApiServer source = TestApiServer.start();
        TestApiServer target = TestApiServer.start();
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            target.close();
            source.close();
        }));
        boolean upstream = Crds.installPreferUpstream(source.client());
        Crds.installPreferUpstream(target.client());
        Files.copy(source.kubeconfig(), dir.resolve("source.kubeconfig"));
        Files.copy(target.kubeconfig(), dir.resolve("target.kubeconfig"));
        Files.writeString(dir.resolve("ready"), upstream ? "upstream CRDs from " + Crds.upstreamDir() + "\n" : "pivotctl's own CRD fixtures\n");
        forever.await();
    }
}

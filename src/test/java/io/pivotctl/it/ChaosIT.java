package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.ImportWatch;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.RestartableApiServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target apiserver is SIGKILLed at K seeded random points of an import (how many creates in, how long it
 * stays down, with or without --no-rollback) and started again. Each run must end clean: a complete rollback
 * (nothing of the run left), or every object exactly once (the import rode out the outage, or --resume finished
 * it); a foreign object on the target is never touched. K and the seed are system properties
 * ({@code pivotctl.chaos.runs}, default 2; {@code pivotctl.chaos.seed}); scripts/chaos.sh runs 10 and prints the tally.
 */
class ChaosIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withCrds(CrdSet.fixtures())
            .withFleet(Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("c1", 1, 6)), 1)).withTargetNamespace("metal3");

    @TempDir
    static Path dir;

    static RestartableApiServer twin;
    static Path identity;
    static Path archive;
    static Map<String, Integer> archived;
    static String foreignUid;
    static String foreignVersion;

    @BeforeAll
    static void setUp() {
        identity = servers.key().identity();
        archive = servers.key().exportMetal3(servers.source(), dir.resolve("a.tar.gz"));
        archived = ImportWatch.perKind(servers.source(), "metal3");
        KubernetesClient t = servers.target().client();
        var foreign = t.configMaps().inNamespace("metal3").resource(new ConfigMapBuilder().withNewMetadata().withName("someone-elses")
                .withFinalizers("someone.example/keep").endMetadata().addToData("k", "v").build()).create();
        foreignUid = foreign.getMetadata().getUid();
        foreignVersion = foreign.getMetadata().getResourceVersion();
        twin = RestartableApiServer.twinOf(servers.target(), dir);
    }

    @AfterAll
    static void tearDown() {
        if (twin != null) {
            twin.close();
        }
    }

    /** One seeded kill point. */
    record Plan(int createsBeforeKill, long outageMillis, boolean keep) {
        @Override
        public String toString() {
            return "kill after " + createsBeforeKill + " creates, down " + outageMillis + "ms" + (keep ? ", --no-rollback then --resume" : "");
        }
    }

    @Test
    void everyRunEndsRolledBackOrCompleteAndNeverTouchesAForeignObject() throws Exception {
        int runs = Integer.getInteger("pivotctl.chaos.runs", 2);
        long seed = Long.getLong("pivotctl.chaos.seed", 20261125L);
        Random random = new Random(seed);
        int total = archived.values().stream().mapToInt(Integer::intValue).sum();
        List<String> outcomes = new ArrayList<>();
        int clean = 0;
        for (int i = 0; i < runs; i++) {
            Plan plan = new Plan(3 + random.nextInt(Math.max(1, total - 6)), 2_000 + random.nextInt(14_000), random.nextBoolean());
            String outcome = runOnce(plan);
            outcomes.add("run " + (i + 1) + " (" + plan + "): " + outcome);
            if (outcome.startsWith("clean")) {
                clean++;
            }
            reset();
        }
        String tally = "CHAOS " + clean + "/" + runs + " clean (seed " + seed + ")";
        System.out.println(tally);
        outcomes.forEach(System.out::println);
        assertEquals(runs, clean, tally + "\n" + String.join("\n", outcomes));
    }

    private String runOnce(Plan plan) throws Exception {
        List<String> args = new ArrayList<>(List.of("import", archive.toString(), "--kubeconfig", twin.kubeconfig().toString(),
                "--identity", identity.toString(), "-q"));
        if (plan.keep()) {
            args.add("--no-rollback");
        }
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run(args));
        ImportWatch.awaitCreates(servers.home(), plan.createsBeforeKill(), () -> !run.isDone());
        twin.kill();
        Thread.sleep(plan.outageMillis());
        twin.start();
        Cli.Result r = run.get(5, TimeUnit.MINUTES);
        if (r.exitCode() != 0 && plan.keep()) {
            Cli.Result resumed = Cli.run("import", archive.toString(), "--kubeconfig", twin.kubeconfig().toString(), "--identity",
                    identity.toString(), "--resume", "-q");
            if (resumed.exitCode() != 0) {
                return "NOT clean: --resume failed: " + resumed;
            }
        }
        Map<String, Integer> now = ImportWatch.perKind(servers.target(), "metal3");
        now.computeIfPresent("ConfigMap", (k, n) -> n == 1 ? null : n - 1); // the foreign ConfigMap
        var foreign = servers.target().client().configMaps().inNamespace("metal3").withName("someone-elses").get();
        if (foreign == null || !foreignUid.equals(foreign.getMetadata().getUid()) || !foreignVersion.equals(foreign.getMetadata().getResourceVersion())) {
            return "NOT clean: the foreign ConfigMap was touched";
        }
        if (!ImportWatch.journals(servers.home()).isEmpty()) {
            return "NOT clean: a journal is left (" + r + ")";
        }
        if (now.isEmpty() && r.exitCode() == 1) {
            return "clean: rolled back completely";
        }
        if (now.equals(archived)) {
            return "clean: every object exactly once" + (r.exitCode() == 0 ? " (rode out the outage)" : " (after --resume)");
        }
        return "NOT clean: exit " + r.exitCode() + ", left " + now + " (archived " + archived + ")\n" + r;
    }

    /** Removes what an import left, so the next run starts from the same target. */
    private static void reset() {
        servers.resetTarget("someone-elses");
    }
}

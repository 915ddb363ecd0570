package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pivotctl.Json;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.BmoStandIn;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.InventoryLoader;
import io.pivotctl.testing.LiveObjects;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.RestartableApiServer;
import io.pivotctl.testing.TestKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source apiserver is SIGKILLed at K seeded random points of {@code release-source --yes} (after how many of its
 * writes, for how long) and started again, with the garbage-collector and namespace controllers running and a
 * scripted BMO answering detach. Each run releases prod-a from a fresh namespace that also holds edge-b (not
 * exported) and, created after the export, a ConfigMap owned by one of prod-a's archived templates. A run is clean
 * when it ends with exactly the objects its plan deletes gone, after riding out the outage or after one re-run (which
 * must finish), and nothing else gone: not edge-b, not the ConfigMap, not the template it uses. K and the seed are
 * system properties ({@code pivotctl.chaos.runs}, default 2; {@code pivotctl.chaos.seed}); {@code scripts/chaos.sh
 * release 10} runs 10 and prints the tally.
 */
class ReleaseChaosIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.one().withCrds(CrdSet.upstreamOrFixtures());

    static RestartableApiServer twin;
    static TestKey key;

    @BeforeAll
    static void setUp() {
        key = servers.key();
        twin = RestartableApiServer.twinOf(servers.source(), servers.dir());
    }

    @AfterAll
    static void tearDown() {
        if (twin != null) {
            twin.close();
        }
    }

    static List<ObjectNode> inventory(String ns) {
        return Metal3Fleet.of(ns, List.of(new Metal3Fleet.ClusterSpec("prod-a", 1, 2), new Metal3Fleet.ClusterSpec("edge-b", 1, 0)), 1);
    }

    /** One seeded kill point: after how many of the release's journaled writes (detach, delete), and for how long. */
    record Plan(int writesBeforeKill, long outageMillis) {
        @Override
        public String toString() {
            return "kill after " + writesBeforeKill + " writes, down " + outageMillis + "ms";
        }
    }

    @Test
    void everyRunDeletesExactlyWhatItsPlanDeletesAndNothingElse() throws Exception {
        int runs = Integer.getInteger("pivotctl.chaos.runs", 2);
        long seed = Long.getLong("pivotctl.chaos.seed", 20261125L);
        Random random = new Random(seed);
        List<String> outcomes = new ArrayList<>();
        int clean = 0;
        for (int i = 0; i < runs; i++) {
            String outcome = runOnce("chaos-" + i, random);
            outcomes.add("run " + (i + 1) + " " + outcome);
            if (outcome.contains(": clean")) {
                clean++;
            }
        }
        String tally = "CHAOS " + clean + "/" + runs + " clean (seed " + seed + ", release-source)";
        System.out.println(tally);
        outcomes.forEach(System.out::println);
        assertEquals(runs, clean, tally + "\n" + String.join("\n", outcomes));
    }

    private String runOnce(String ns, Random random) throws Exception {
        KubernetesClient src = servers.source().client();
        List<ObjectNode> inv = inventory(ns);
        InventoryLoader.load(servers.source().kubeconfig(), inv, 8);
        Path home = servers.dir().resolve("home-" + ns);
        System.setProperty("pivotctl.home", home.toString());
        Path archive = servers.dir().resolve(ns + ".tar.gz");
        Cli.Result export = Cli.run("export", "--kubeconfig", servers.source().kubeconfig().toString(), "-n", ns, "--cluster", "prod-a", "--pause",
                "-o", archive.toString(), "--recipient", key.recipient(), "-q");
        if (export.exitCode() != 0) {
            return "(setup): NOT clean: export failed " + export;
        }
        var kct = src.genericKubernetesResources("bootstrap.cluster.x-k8s.io/v1beta2", "KubeadmConfigTemplate").inNamespace(ns).withName("prod-a-workers").get();
        src.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("prod-a-notes")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("bootstrap.cluster.x-k8s.io/v1beta2").withKind("KubeadmConfigTemplate")
                        .withName("prod-a-workers").withUid(kct.getMetadata().getUid()).build()).endMetadata().addToData("note", "012").build()).create();
        Map<String, String> planned = new TreeMap<>();
        int writes = plan(archive, planned);
        Plan plan = new Plan(1 + random.nextInt(writes), 2_000 + random.nextInt(12_000));
        Map<String, String> before = LiveObjects.byUid(src, inv, List.of(ns));
        Cli.Result first;
        String afterFirst;
        Cli.Result second = null;
        try (BmoStandIn bmo = BmoStandIn.start(src, ns)) {
            CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> release(archive));
            boolean hit = awaitWrites(home, plan.writesBeforeKill(), run);
            twin.kill();
            Thread.sleep(plan.outageMillis());
            twin.start();
            first = run.get(5, TimeUnit.MINUTES);
            afterFirst = (hit ? "" : "(ended before the kill point) ") + state(LiveObjects.gone(before, LiveObjects.byUid(src, inv, List.of(ns))), planned);
            if (first.exitCode() != 0) {
                second = release(archive);
            }
        }
        String why = first.exitCode() == 0 ? "" : " (" + first.err().lines().filter(l -> l.startsWith("error:")).findFirst().orElse("no error line") + ")";
        String what = "(" + plan + "): exit " + first.exitCode() + why + ", then " + afterFirst + (second == null ? "" : "; re-run exit " + second.exitCode());
        if (second != null && second.exitCode() != 0) {
            return what + ": NOT clean: the re-run failed\n" + second;
        }
        LiveObjects.awaitSettled(servers.source(), inv, List.of(ns));
        Map<String, String> gone = LiveObjects.gone(before, LiveObjects.byUid(src, inv, List.of(ns)));
        Map<String, String> outside = new TreeMap<>(gone);
        outside.keySet().removeAll(planned.keySet());
        if (!outside.isEmpty()) {
            return what + ": NOT clean: deleted outside the plan: " + outside.values();
        }
        if (!gone.keySet().equals(planned.keySet())) {
            Map<String, String> left = new TreeMap<>(planned);
            left.keySet().removeAll(gone.keySet());
            return what + ": NOT clean: planned but not deleted: " + left.values() + "\n" + first + (second == null ? "" : "\n" + second);
        }
        ConfigMap notes = src.configMaps().inNamespace(ns).withName("prod-a-notes").get();
        if (notes == null || notes.getMetadata().getOwnerReferences().isEmpty()) {
            return what + ": NOT clean: the ConfigMap created after the export lost its owner";
        }
        return what + ": clean: exactly the " + planned.size() + " planned objects deleted" + (second == null ? " (rode out the outage)" : " (the re-run finished)");
    }

    static Cli.Result release(Path archive) {
        return Cli.run("release-source", archive.toString(), "--kubeconfig", twin.kubeconfig().toString(), "--identity", key.identity().toString(),
                "--skip-verify", "--yes", "--detach-timeout", "3m", "--poll-interval", "1s", "-q");
    }

    /** Fills {@code planned} (uid to object) with what the plan deletes; returns how many journaled writes the release will make. */
    static int plan(Path archive, Map<String, String> planned) throws IOException {
        Cli.Result r = Cli.run("release-source", archive.toString(), "--kubeconfig", twin.kubeconfig().toString(), "--identity",
                key.identity().toString(), "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        int hosts = 0;
        for (JsonNode step : Json.MAPPER.readTree(r.out()).path("steps")) {
            String action = step.path("action").asText();
            if (Set.of("DELETE", "DETACH_DELETE").contains(action)) {
                planned.put(step.path("uid").asText(), step.path("object").asText());
                hosts += action.equals("DETACH_DELETE") ? 1 : 0;
            }
        }
        return planned.size() + hosts;
    }

    /** "nothing deleted", "exactly the planned N deleted" or "k of N planned deleted". */
    static String state(Map<String, String> gone, Map<String, String> planned) {
        long ofPlan = gone.keySet().stream().filter(planned::containsKey).count();
        return ofPlan == 0 ? "nothing deleted" : ofPlan == planned.size() ? "exactly the planned " + ofPlan + " deleted"
                : ofPlan + " of " + planned.size() + " planned deleted";
    }

    /** Polls the release journal until it holds {@code writes} detach/delete lines; false when the run ended first. */
    static boolean awaitWrites(Path home, int writes, CompletableFuture<Cli.Result> run) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline && !run.isDone()) {
            if (journaledWrites(home) >= writes) {
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    static int journaledWrites(Path home) {
        Path d = home.resolve("journal");
        if (!Files.isDirectory(d)) {
            return 0;
        }
        int n = 0;
        try (Stream<Path> files = Files.list(d)) {
            for (Path j : files.toList()) {
                n += (int) Files.readAllLines(j).stream().filter(l -> l.contains("\"op\":\"detach\"") || l.contains("\"op\":\"delete\"")).count();
            }
        } catch (IOException beingWritten) {
            // count again on the next poll
        }
        return n;
    }
}

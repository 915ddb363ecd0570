package io.pivotctl.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pivotctl.Json;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.BmoStandIn;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.FaultProxy;
import io.pivotctl.testing.LiveObjects;
import io.pivotctl.testing.RealSite;
import io.pivotctl.testing.TestKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * release-source on a real-shaped site ({@link RealSite}: site-a and site-b share a Metal3MachineTemplate and a
 * GlobalInClusterIPPool) with the garbage collector and namespace controllers running on the source, as on every real
 * cluster: only what nothing left behind still uses is deleted, every delete orphans (the garbage collector takes
 * nothing the plan left alone), an object changed between plan and delete stays, and a source that is no longer as
 * export left it (after {@code unpause}) or whose cluster ids cannot be compared is refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseOwnershipIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withCrds(CrdSet.upstream()).withFleet(RealSite.objects())
            .withProxiedTarget();


    static final String NS = RealSite.NS;
    static final String KCP_SECRET = RealSite.SITE_B + "-kubeconfig";
    static final String NOTES = RealSite.SITE_B + "-upgrade-notes";
    static final String WORKER_MACHINE = RealSite.SITE_B + "-workers-7d4f9-w0";
    static final String CHANGED_DURING_RUN = WORKER_MACHINE + "-metadata";
    static final String KCT = "KubeadmConfigTemplate.bootstrap.cluster.x-k8s.io metal3/" + RealSite.SITE_B + "-workers";
    static List<ObjectNode> site;
    static TestKey key;
    static Path siteB;

    @BeforeAll
    static void setUp() {
        RealSite.labelForMoveHierarchy(List.of(servers.source(), servers.target()), true);
        site = servers.fleet();
        key = servers.key();
        siteB = export("site-b.tar.gz", RealSite.SITE_B);
        Cli.Result imp = Cli.run("import", siteB.toString(), "--kubeconfig", servers.target().kubeconfig().toString(), "--identity",
                key.identity().toString(), "-q");
        assertEquals(0, imp.exitCode(), imp.toString());

        KubernetesClient src = servers.source().client();
        // after the export: the KubeadmControlPlane's kubeconfig Secret rotated, and a note owned by an archived template
        src.secrets().inNamespace(NS).withName(KCP_SECRET).edit(s -> {
            s.getData().put("value", Base64.getEncoder().encodeToString("rotated kubeconfig".getBytes(StandardCharsets.UTF_8)));
            return s;
        });
        var kct = src.genericKubernetesResources("bootstrap.cluster.x-k8s.io/v1beta2", "KubeadmConfigTemplate").inNamespace(NS)
                .withName(RealSite.SITE_B + "-workers").get();
        src.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(NOTES)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("bootstrap.cluster.x-k8s.io/v1beta2").withKind("KubeadmConfigTemplate")
                        .withName(kct.getMetadata().getName()).withUid(kct.getMetadata().getUid()).build())
                .endMetadata().addToData("window", "2026-12-01T02:00:00Z").build()).create();
    }

    @AfterAll
    static void tearDown() {
        System.clearProperty("pivotctl.home");
        RealSite.labelForMoveHierarchy(List.of(servers.source(), servers.target()), false);
    }

    @Test
    @Order(1)
    void thePlanKeepsWhatSomethingLeftBehindStillUsesAndNamesTheUser() throws Exception {
        Map<String, JsonNode> plan = plan(siteB);
        assertLeftAlone(plan, "Metal3MachineTemplate.infrastructure.cluster.x-k8s.io metal3/" + RealSite.SHARED_TEMPLATE,
                "Cluster.cluster.x-k8s.io metal3/" + RealSite.SITE_A);
        assertLeftAlone(plan, "GlobalInClusterIPPool.ipam.cluster.x-k8s.io " + RealSite.GLOBAL_POOL,
                "Metal3DataTemplate.infrastructure.cluster.x-k8s.io metal3/" + RealSite.SITE_A + "-template");
        assertLeftAlone(plan, "Secret metal3/" + KCP_SECRET, "changed since export");
        assertLeftAlone(plan, KCT, "ConfigMap metal3/" + NOTES);
        for (String host : List.of("site-b-node-3", "site-b-node-4")) {
            assertEquals("DETACH_DELETE", plan.get("BareMetalHost.metal3.io metal3/" + host).path("action").asText(), host);
        }
        assertEquals("DELETE", plan.get("Machine.cluster.x-k8s.io metal3/" + WORKER_MACHINE).path("action").asText());
        assertEquals("DELETE", plan.get("Secret metal3/" + CHANGED_DURING_RUN).path("action").asText());
    }

    @Test
    @Order(2)
    void withTheGarbageCollectorRunningExactlyWhatThePlanDeletesIsGone() throws Exception {
        KubernetesClient src = servers.source().client();
        Map<String, JsonNode> plan = plan(siteB);
        Map<String, String> planned = new TreeMap<>();
        plan.forEach((object, step) -> {
            if (Set.of("DELETE", "DETACH_DELETE").contains(step.path("action").asText())) {
                planned.put(step.path("uid").asText(), object);
            }
        });
        String changedUid = src.secrets().inNamespace(NS).withName(CHANGED_DURING_RUN).get().getMetadata().getUid();
        Map<String, String> before = LiveObjects.byUid(src, site, List.of(NS));
        AtomicBoolean changed = new AtomicBoolean();
        Cli.Result r;
        try (BmoStandIn bmo = BmoStandIn.start(src, NS, changed::get)) {
            // --skip-verify: verify names the ownerReference to site-a that import had to drop (site-a is not on the target)
            CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> release(siteB, "--yes", "--skip-verify", "--detach-timeout", "3m"));
            awaitDetachRequested(src, "site-b-node-3", run);
            // between the plan and its delete, someone edits an object the plan would delete
            src.secrets().inNamespace(NS).withName(CHANGED_DURING_RUN).edit(s -> {
                s.getMetadata().getLabels().put("ops.example.com/rotated", "012");
                return s;
            });
            changed.set(true);
            r = run.get(5, TimeUnit.MINUTES);
        }
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("LEFT ALONE Secret metal3/" + CHANGED_DURING_RUN) && l.contains("changed since the plan")),
                r.out());
        LiveObjects.awaitSettled(servers.source(), site, List.of(NS));
        Map<String, String> gone = LiveObjects.gone(before, LiveObjects.byUid(src, site, List.of(NS)));
        Map<String, String> expected = new TreeMap<>(planned);
        expected.remove(changedUid);
        assertEquals(expected.keySet(), gone.keySet(), "deleted: exactly what the plan deletes, nothing by the garbage collector\nplanned "
                + expected.values() + "\ngone " + gone.values());

        Secret rotated = src.secrets().inNamespace(NS).withName(KCP_SECRET).get();
        assertEquals("rotated kubeconfig", new String(Base64.getDecoder().decode(rotated.getData().get("value")), StandardCharsets.UTF_8));
        ConfigMap notes = src.configMaps().inNamespace(NS).withName(NOTES).get();
        assertNotNull(notes, "an object created after the export keeps its owner");
        assertEquals(1, notes.getMetadata().getOwnerReferences().size(), "its owner was not deleted, not even orphaned");
        assertNotNull(src.secrets().inNamespace(NS).withName(CHANGED_DURING_RUN).get());
        before.forEach((uid, object) -> {
            if (object.contains(RealSite.SITE_A) || object.contains(RealSite.SHARED_TEMPLATE) || object.contains(RealSite.GLOBAL_POOL)) {
                assertFalse(gone.containsKey(uid), object + " belongs to site-a or is shared with it");
            }
        });
    }

    @Test
    @Order(3)
    void unreadableClusterIdsAreNeverTakenForDifferentClusters() throws Exception {
        Path siteA = export("site-a.tar.gz", RealSite.SITE_A);
        Map<String, String> before = LiveObjects.versions(servers.source().client(), site, List.of(NS));
        FaultProxy proxy = servers.targetProxy();
        proxy.add(FaultProxy.Rule.status("GET", "/api/v1/namespaces/kube-system", 403, 1000));
        Cli.Result r = release(siteA, "--yes", "--verified-on", proxy.kubeconfig(servers.dir()).toString());
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("cannot read the cluster id of --verified-on") && r.err().contains("nothing was changed"), r.err());
        assertEquals(before, LiveObjects.versions(servers.source().client(), site, List.of(NS)), "nothing written");
        Cli.Result unpause = Cli.run("unpause", siteA.toString(), "--kubeconfig", servers.source().kubeconfig().toString());
        assertEquals(0, unpause.exitCode(), unpause.toString());
    }

    @Test
    @Order(4)
    void afterAnAbortReleaseIsRefusedNamingWhatIsNotPaused() {
        Path siteA = servers.dir().resolve("site-a.tar.gz"); // exported with --pause, then unpaused (the abort) by the test before
        Map<String, String> before = LiveObjects.versions(servers.source().client(), site, List.of(NS));
        Cli.Result r = release(siteA, "--yes", "--skip-verify");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("Cluster.cluster.x-k8s.io metal3/" + RealSite.SITE_A) && r.err().contains("BareMetalHost.metal3.io metal3/site-a-node-0")
                && r.err().contains("export --pause"), r.err());
        assertEquals(before, LiveObjects.versions(servers.source().client(), site, List.of(NS)), "nothing written, no host detached");
        Cli.Result plan = release(siteA);
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("not paused by pivotctl"), "the plan says so too:\n" + plan.out());
    }

    // ---- helpers

    static Path export(String file, String cluster) {
        Path archive = servers.dir().resolve(file);
        Cli.Result r = Cli.run("export", "--kubeconfig", servers.source().kubeconfig().toString(), "-n", NS, "--cluster", cluster, "--pause",
                archive.toString(), "--recipient", key.recipient(), "-q");
        assertEquals(0, r.exitCode(), r.toString());
        return archive;
    }

    static Cli.Result release(Path archive, String... extra) {
        List<String> args = new ArrayList<>(List.of("release-source", archive.toString(), "--kubeconfig", servers.source().kubeconfig().toString(),
                "--identity", key.identity().toString(), "--poll-interval", "1s"));
        args.addAll(List.of(extra));
        return Cli.run(args);
    }

    /** The plan (-o json) by object ("Kind.group ns/name"). */
    static Map<String, JsonNode> plan(Path archive) throws Exception {
        Cli.Result r = release(archive, "-o", "json");
        assertEquals(0, r.exitCode(), r.toString());
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode step : Json.MAPPER.readTree(r.out()).path("steps")) {
            out.put(step.path("object").asText(), step);
        }
        return out;
    }

    static void assertLeftAlone(Map<String, JsonNode> plan, String object, String reasonPart) {
        JsonNode step = plan.get(object);
        assertNotNull(step, object + " not in the plan: " + plan.keySet());
        assertEquals("LEFT_ALONE", step.path("action").asText(), object + ": " + step);
        assertTrue(step.path("reason").asText().contains(reasonPart), object + ": " + step);
    }

    static void awaitDetachRequested(KubernetesClient src, String host, CompletableFuture<Cli.Result> run) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && !run.isDone()) {
            Map<String, String> a = src.genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace(NS).withName(host).get()
                    .getMetadata().getAnnotations();
            if (a != null && a.containsKey("baremetalhost.metal3.io/detached")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("release-source never asked BMO to detach " + host + ": " + (run.isDone() ? run.get() : "still running"));
    }
}

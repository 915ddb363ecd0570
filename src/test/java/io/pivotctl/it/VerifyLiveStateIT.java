package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.TestKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify sees what a field comparison cannot: objects Terminating on the target, and Clusters or hosts paused
 * other than import leaves them. Real apiservers, upstream CRDs, an archive made with --pause (so import lifts
 * what export paused for the move) from a source where one host was already paused by CAPM3 (so import keeps it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyLiveStateIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withCrds(CrdSet.upstream())
            .withFleet(Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("c1", 1, 1)), 1));

    @TempDir
    static Path dir;

    static final String PAUSED = "baremetalhost.metal3.io/paused";
    static TestKey key;
    static Path archive;
    static String target;

    @BeforeAll
    static void pivot() {
        patch(servers.source().client(), "metal3.io/v1alpha1", "BareMetalHost", "c1-node-1",
                "{\"metadata\":{\"annotations\":{\"" + PAUSED + "\":\"metal3.io/capm3\"}}}"); // CAPM3's own pause: not ours
        key = servers.key();
        archive = key.exportMetal3(servers.source(), dir.resolve("pivot.tar.gz"), "--pause");
        target = servers.target().kubeconfig().toString();
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", target, "--identity", key.identity().toString(), "-q");
        assertEquals(0, r.exitCode(), r.toString());
    }

    static void patch(KubernetesClient c, String api, String kind, String name, String mergePatch) {
        c.genericKubernetesResources(api, kind).inNamespace("metal3").withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
    }

    static void patchTarget(String api, String kind, String name, String mergePatch) {
        patch(servers.target().client(), api, kind, name, mergePatch);
    }

    static Cli.Result verify(String... extra) {
        String[] base = {"verify", archive.toString(), "--kubeconfig", target, "--identity", key.identity().toString()};
        return Cli.run(Cli.concat(base, extra));
    }

    /** The verify table line for this object and difference kind, or fails naming what verify printed. */
    static String line(Cli.Result r, String object, String kind) {
        return r.out().lines().filter(l -> l.startsWith(object + " ") && l.contains(" " + kind + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " line for " + object + " in:\n" + r.out()));
    }

    @Test
    @Order(1)
    void aFreshImportIsEqualWithWhatImportLiftedAndWhatItKept() {
        Cli.Result r = verify();
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("EQUAL"), r.out());
        var hosts = servers.target().client().genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace("metal3");
        assertEquals("metal3.io/capm3", hosts.withName("c1-node-1").get().getMetadata().getAnnotations().get(PAUSED), "CAPM3's pause travels");
        assertFalse(hosts.withName("c1-node-0").get().getMetadata().getAnnotations().containsKey(PAUSED), "export's pause is lifted");
    }

    @Test
    @Order(2)
    void clustersAndHostsPausedOtherThanImportLeavesThemAreEachNamed() {
        patchTarget("cluster.x-k8s.io/v1beta2", "Cluster", "c1", "{\"spec\":{\"paused\":true}}"); // e.g. left by --on-conflict update
        patchTarget("metal3.io/v1alpha1", "BareMetalHost", "c1-node-0", "{\"metadata\":{\"annotations\":{\"" + PAUSED + "\":\"pivotctl\"}}}");
        patchTarget("metal3.io/v1alpha1", "BareMetalHost", "spare-0", "{\"metadata\":{\"annotations\":{\"" + PAUSED + "\":\"\"}}}");
        patchTarget("metal3.io/v1alpha1", "BareMetalHost", "c1-node-1", "{\"metadata\":{\"annotations\":{\"" + PAUSED + "\":null}}}");

        Cli.Result r = verify();
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(line(r, "Cluster.cluster.x-k8s.io metal3/c1", "PAUSED").contains("spec.paused is true, expected false"), r.out());
        assertTrue(line(r, "BareMetalHost.metal3.io metal3/c1-node-0", "PAUSED").contains("is set (host paused), expected none"), r.out());
        assertTrue(line(r, "BareMetalHost.metal3.io metal3/spare-0", "PAUSED").contains("is set (host paused), expected none"),
                "any value pauses a host, even an empty one: " + r.out());
        assertTrue(line(r, "BareMetalHost.metal3.io metal3/c1-node-1", "PAUSED").contains("is missing (host not paused)"), r.out());
        assertTrue(r.out().contains("4 difference(s)"), "nothing else differs: " + r.out());

        Cli.Result expectPaused = verify("--expect-paused");
        assertEquals(4, expectPaused.exitCode(), "--expect-paused wants every restored Cluster and host paused: " + expectPaused);
        assertTrue(expectPaused.out().lines().noneMatch(l -> l.startsWith("Cluster.cluster.x-k8s.io metal3/c1 ")), expectPaused.out());

        patchTarget("cluster.x-k8s.io/v1beta2", "Cluster", "c1", "{\"spec\":{\"paused\":false}}");
        patchTarget("metal3.io/v1alpha1", "BareMetalHost", "c1-node-0", "{\"metadata\":{\"annotations\":{\"" + PAUSED + "\":null}}}");
        patchTarget("metal3.io/v1alpha1", "BareMetalHost", "spare-0", "{\"metadata\":{\"annotations\":{\"" + PAUSED + "\":null}}}");
        patchTarget("metal3.io/v1alpha1", "BareMetalHost", "c1-node-1", "{\"metadata\":{\"annotations\":{\"" + PAUSED + "\":\"metal3.io/capm3\"}}}");
        Cli.Result back = verify();
        assertEquals(0, back.exitCode(), "put back as import left it: equal again " + back);
    }

    @Test
    @Order(3)
    void anObjectHeldByAFinalizerIsTerminating() {
        KubernetesClient tgt = servers.target().client();
        patchTarget("cluster.x-k8s.io/v1beta2", "Machine", "c1-cp-0", "{\"metadata\":{\"finalizers\":[\"test.pivotctl.io/hold\"]}}");
        tgt.genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Machine").inNamespace("metal3").withName("c1-cp-0").delete();
        var machine = tgt.genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Machine").inNamespace("metal3").withName("c1-cp-0").get();
        assertNotNull(machine.getMetadata().getDeletionTimestamp(), "the server keeps it, Terminating, while the finalizer is there");

        Cli.Result r = verify("-o", "json");
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(r.out().contains("\"object\" : \"Machine.cluster.x-k8s.io metal3/c1-cp-0\""), r.out());
        assertTrue(r.out().contains("\"kind\" : \"TERMINATING\""), r.out());
        assertTrue(r.out().contains("waiting for finalizer(s) test.pivotctl.io/hold"), r.out());
        Map<?, ?> report = parse(r.out());
        assertEquals(1, ((List<?>) report.get("differences")).size(), "only the Terminating object differs: " + r.out());
    }

    static Map<?, ?> parse(String json) {
        try {
            return io.pivotctl.Json.MAPPER.readValue(json, Map.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

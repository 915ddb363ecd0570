package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.TestKey;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pivotctl unpause} aborts a pivot: after {@code export --pause} it puts the source back exactly as it was,
 * leaving a Cluster someone paused, a CAPM3 pause and a person's pause alone; it is idempotent and never lifts a pause
 * someone set on a host after the export.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnpauseIT {

    static final String NS = "metal3";
    static final String BMH = "metal3.io/v1alpha1";
    static final String CAPI = "cluster.x-k8s.io/v1beta2";
    static final List<ObjectNode> INVENTORY = Metal3Fleet.of(NS, List.of(new Metal3Fleet.ClusterSpec("prod-a", 1, 1),
            new Metal3Fleet.ClusterSpec("edge-b", 1, 0)), 2);

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.one().withCrds(CrdSet.upstream()).withFleet(INVENTORY);

    static TestKey key;
    static Map<String, String> beforeExport;

    @BeforeAll
    static void setUp() {
        KubernetesClient c = servers.source().client();
        annotate(c, "prod-a-node-1", "metal3.io/capm3");
        annotate(c, "spare-1", "on"); // a person's pause, with a value that looks like a YAML boolean
        generic(c, CAPI, "Cluster").withName("edge-b").edit(cl -> {
            spec(cl).put("paused", true); // paused by a person before the pivot
            return cl;
        });
        beforeExport = pauseState(c);
        key = servers.key();
    }

    @Test
    @Order(1)
    void unpauseRestoresTheSourceExactlyAndLeavesOtherPausesAlone() {
        KubernetesClient c = servers.source().client();
        Path archive = key.exportMetal3(servers.source(), servers.dir().resolve("pivot.tar.gz"), "--pause");
        Map<String, String> paused = pauseState(c);
        assertEquals("true", paused.get("Cluster/prod-a"));
        assertEquals("pivotctl", paused.get("BareMetalHost/prod-a-node-0"));
        assertEquals("pivotctl", paused.get("BareMetalHost/spare-0"));
        assertNotEquals(beforeExport, paused);

        Cli.Result r = unpause(archive);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(beforeExport, pauseState(c), "the source is exactly as before the export");
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("unpaused") && l.contains("Cluster.cluster.x-k8s.io metal3/prod-a")
                && l.contains("spec.paused: true -> false")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("unpaused") && l.contains("metal3/spare-0")
                && l.contains("baremetalhost.metal3.io/paused=pivotctl removed")), r.out());
        assertTrue(r.out().contains("UNPAUSED on") && r.out().contains(": 4 changed, 0 already unpaused, 0 left alone"), r.out());
        assertTrue(!r.out().contains("edge-b ") && !r.out().contains("prod-a-node-1") && !r.out().contains("spare-1"),
                "what export did not pause is not even looked at: " + r.out());

        Cli.Result again = unpause(archive);
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().contains(": 0 changed, 4 already unpaused"), again.out());
        assertEquals(beforeExport, pauseState(c), "idempotent");
    }

    @Test
    @Order(2)
    void aPauseSomeoneSetAfterTheExportIsNotLifted() {
        KubernetesClient c = servers.source().client();
        Path archive = key.exportMetal3(servers.source(), servers.dir().resolve("pivot-2.tar.gz"), "--pause");
        annotate(c, "spare-0", "bob: disk swap"); // replaces pivotctl's value
        Cli.Result r = unpause(archive);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("LEFT ALONE") && l.contains("metal3/spare-0") && l.contains("'bob: disk swap'")), r.out());
        Map<String, String> expected = new TreeMap<>(beforeExport);
        expected.put("BareMetalHost/spare-0", "bob: disk swap");
        expected.put("BareMetalHost/spare-0 annotations", "[baremetalhost.metal3.io/paused]");
        assertEquals(expected, pauseState(c));
    }

    @Test
    @Order(3)
    void aSecondUnpauseLeavesAClusterPauseSomeoneSetAfterTheFirst() {
        KubernetesClient c = servers.source().client();
        Path archive = key.exportMetal3(servers.source(), servers.dir().resolve("pivot-3.tar.gz"), "--pause");
        assertEquals(0, unpause(archive).exitCode());
        generic(c, CAPI, "Cluster").withName("prod-a").edit(cl -> {
            spec(cl).put("paused", true); // a person pauses prod-a for maintenance, without pivotctl's marker
            return cl;
        });
        try {
            Cli.Result again = unpause(archive);
            assertEquals(0, again.exitCode(), again.toString());
            assertTrue(again.out().lines().anyMatch(l -> l.startsWith("LEFT ALONE") && l.contains("Cluster.cluster.x-k8s.io metal3/prod-a")
                    && l.contains("pivotctl.io/paused-by")), again.out());
            assertEquals(Boolean.TRUE, spec(generic(c, CAPI, "Cluster").withName("prod-a").get()).get("paused"), "the person's pause stays");
        } finally {
            generic(c, CAPI, "Cluster").withName("prod-a").edit(cl -> {
                spec(cl).put("paused", false);
                return cl;
            });
        }
    }

    static Cli.Result unpause(Path archive) {
        return Cli.run("unpause", archive.toString(), "--kubeconfig", servers.source().kubeconfig().toString());
    }

    /** Cluster spec.paused and host paused annotations ("-" when absent), by kind/name. */
    static Map<String, String> pauseState(KubernetesClient c) {
        Map<String, String> out = new TreeMap<>();
        for (GenericKubernetesResource cl : generic(c, CAPI, "Cluster").list().getItems()) {
            out.put("Cluster/" + cl.getMetadata().getName(), String.valueOf(spec(cl).get("paused")));
        }
        for (GenericKubernetesResource h : generic(c, BMH, "BareMetalHost").list().getItems()) {
            Map<String, String> a = h.getMetadata().getAnnotations() == null ? Map.of() : h.getMetadata().getAnnotations();
            out.put("BareMetalHost/" + h.getMetadata().getName(), a.getOrDefault("baremetalhost.metal3.io/paused", "-"));
            out.put("BareMetalHost/" + h.getMetadata().getName() + " annotations", String.valueOf(new TreeMap<>(a).keySet()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().get("spec");
    }

    static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource, io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> generic(KubernetesClient c, String api, String kind) {
        return c.genericKubernetesResources(api, kind).inNamespace(NS);
    }

    static void annotate(KubernetesClient c, String host, String value) {
        generic(c, BMH, "BareMetalHost").withName(host).edit(h -> {
            Map<String, String> a = h.getMetadata().getAnnotations() == null ? new HashMap<>() : new HashMap<>(h.getMetadata().getAnnotations());
            a.put("baremetalhost.metal3.io/paused", value);
            h.getMetadata().setAnnotations(a);
            return h;
        });
    }
}

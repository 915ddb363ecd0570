package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ArchiveReader;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.ManifestCodec;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.Metal3Fleet;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Export against a real apiserver with the upstream CRDs: graph, selection, leases, pausing, errors. */
class ExportIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.one().withCrds(CrdSet.upstream())
            .withFleet(Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("prod-a", 3, 2), new Metal3Fleet.ClusterSpec("edge-b", 1, 1)), 2));

    @TempDir
    static Path dir;

    static String recipient;
    static String kubeconfig;

    @BeforeAll
    static void load() {
        recipient = servers.key().recipient();
        kubeconfig = servers.source().kubeconfig().toString();
        // noise that must never be exported
        servers.source().client().configMaps().inNamespace("metal3").resource(new ConfigMapBuilder().withNewMetadata().withName("unrelated")
                .endMetadata().addToData("x", "y").build()).create();
    }

    static Manifest export(Path out, String... extra) {
        String[] base = {"export", "--kubeconfig", kubeconfig, "-n", "metal3", "-o", out.toString(), "--recipient", recipient};
        Cli.Result r = Cli.run(Cli.concat(base, extra));
        assertEquals(0, r.exitCode(), r.toString());
        return ManifestCodec.parse(ArchiveReader.read(out, ArchiveLimits.DEFAULT).manifestBytes());
    }

    static Set<String> ids(Manifest m) {
        return m.graph().levels().stream().flatMap(List::stream).collect(Collectors.toSet());
    }

    @Test
    void graphEdgesAndLevelsForRepresentativeObjects() {
        Manifest m = export(dir.resolve("all.tar.gz"));
        Map<String, Integer> level = new HashMap<>();
        for (int i = 0; i < m.graph().levels().size(); i++) {
            for (String id : m.graph().levels().get(i)) {
                level.put(id, i);
            }
        }
        assertEquals(0, level.get("cluster.x-k8s.io/Cluster/metal3/prod-a"));
        assertEquals(1, level.get("controlplane.cluster.x-k8s.io/KubeadmControlPlane/metal3/prod-a"));
        assertEquals(2, level.get("cluster.x-k8s.io/Machine/metal3/prod-a-cp-0"));
        assertEquals(3, level.get("bootstrap.cluster.x-k8s.io/KubeadmConfig/metal3/prod-a-cp-0"));
        assertEquals(4, level.get("core/Secret/metal3/prod-a-cp-0"));
        assertEquals(0, level.get("metal3.io/BareMetalHost/metal3/prod-a-node-0"));
        assertEquals(1, level.get("metal3.io/HardwareData/metal3/prod-a-node-0"));
        assertTrue(m.graph().edges().contains(new Manifest.GraphEdge("cluster.x-k8s.io/Machine/metal3/prod-a-cp-0",
                "controlplane.cluster.x-k8s.io/KubeadmControlPlane/metal3/prod-a", "owner", "metadata.ownerReferences", true)));
        assertTrue(m.graph().edges().contains(new Manifest.GraphEdge("metal3.io/BareMetalHost/metal3/prod-a-node-0",
                "infrastructure.cluster.x-k8s.io/Metal3Machine/metal3/prod-a-cp-0", "ref", "spec.consumerRef", false)));
        assertTrue(m.graph().edges().contains(new Manifest.GraphEdge("infrastructure.cluster.x-k8s.io/Metal3Machine/metal3/prod-a-cp-0",
                "metal3.io/BareMetalHost/metal3/prod-a-node-0", "annotation", "metadata.annotations[metal3.io/BareMetalHost]", false)));
        assertTrue(m.graph().edges().contains(new Manifest.GraphEdge("core/Secret/metal3/prod-a-kubeconfig",
                "cluster.x-k8s.io/Cluster/metal3/prod-a", "convention", "metadata.name", false)));
        assertTrue(m.graph().edges().contains(new Manifest.GraphEdge("core/Secret/metal3/prod-a-node-0-bmc-secret",
                "metal3.io/BareMetalHost/metal3/prod-a-node-0", "owner", "metadata.ownerReferences", false)));
        assertTrue(m.graph().edges().contains(new Manifest.GraphEdge("infrastructure.cluster.x-k8s.io/Metal3DataTemplate/metal3/prod-a-template",
                "ipam.metal3.io/IPPool/metal3/prod-a-prov", "ref", "spec.metaData.ipAddressesFromPool", false)), m.graph().edges().stream()
                .filter(e -> e.from().contains("DataTemplate")).toList().toString());
        assertTrue(m.graph().edges().contains(new Manifest.GraphEdge("metal3.io/BareMetalHost/metal3/prod-a-node-0",
                "core/Secret/metal3/prod-a-node-0-bmc-secret", "ref", "spec.bmc.credentialsName", false)));
        // every owner before its dependents, for every owner edge
        for (Manifest.GraphEdge e : m.graph().edges()) {
            if (e.type().equals("owner")) {
                assertTrue(level.get(e.from()) > level.get(e.to()), e.toString());
            }
        }
        assertTrue(ids(m).contains("metal3.io/BareMetalHost/metal3/spare-0"), "without --cluster, unclaimed hosts are exported");
        assertFalse(ids(m).contains("core/ConfigMap/metal3/unrelated"), "unrelated ConfigMaps are not exported");
        assertTrue(m.entries().stream().anyMatch(e -> e.path().equals("crds/baremetalhosts.metal3.io.yaml")), "CRDs are included");
        assertEquals(m.secrets().size(), m.entries().stream().filter(e -> e.role().equals("secret")).count());
        assertTrue(m.listResourceVersions().keySet().stream().anyMatch(k -> k.startsWith("baremetalhosts.metal3.io")), m.listResourceVersions().toString());
    }

    @Test
    void clusterSelectionTakesExactlyTheReachableSet() {
        Manifest m = export(dir.resolve("edge.tar.gz"), "--cluster", "edge-b");
        Set<String> ids = ids(m);
        assertTrue(ids.contains("cluster.x-k8s.io/Cluster/metal3/edge-b"));
        assertTrue(ids.contains("metal3.io/BareMetalHost/metal3/edge-b-node-5"), ids.toString());
        assertTrue(ids.contains("metal3.io/HardwareData/metal3/edge-b-node-5"));
        assertTrue(ids.contains("core/Secret/metal3/edge-b-node-5-bmc-secret"));
        assertTrue(ids.contains("core/Secret/metal3/edge-b-kubeconfig"));
        assertTrue(ids.contains("ipam.metal3.io/IPAddress/metal3/edge-b-prov-172-22-0-15"), ids.toString());
        for (String id : ids) {
            assertFalse(id.contains("prod-a"), "object of the other cluster selected: " + id);
            assertFalse(id.contains("spare-"), "unclaimed host selected with --cluster: " + id);
        }
        // 2 machines x 13 per-host objects + cluster-level objects
        assertEquals(List.of("metal3/edge-b"), m.selection().clusters());
        assertEquals(2, ids.stream().filter(i -> i.startsWith("metal3.io/BareMetalHost/")).count());
    }

    @Test
    void leasesFromAConfigMapAreCapturedAndCrossChecked() {
        String leases = "0 00:5c:52:00:00:05 172.22.0.15 edge-b-node-5 *\n0 00:5c:52:00:00:99 172.22.0.99 ghost *\n";
        servers.source().client().configMaps().inNamespace("metal3").resource(new ConfigMapBuilder().withNewMetadata().withName("old-leases")
                .endMetadata().addToData("dnsmasq.leases", leases).build()).create();
        Path out = dir.resolve("cm.tar.gz");
        Cli.Result r = Cli.run("export", "--kubeconfig", kubeconfig, "-n", "metal3", "-o", out.toString(), "--recipient", recipient,
                "--cluster", "edge-b", "--leases-from-configmap", "metal3/old-leases");
        assertEquals(0, r.exitCode(), r.toString());
        Manifest m = ManifestCodec.parse(ArchiveReader.read(out, ArchiveLimits.DEFAULT).manifestBytes());
        assertEquals(2, m.leases().count());
        assertEquals("configmap:metal3/old-leases", m.leases().source());
        assertTrue(m.warnings().stream().anyMatch(w -> w.contains("host metal3/edge-b-node-6 has no lease")), m.warnings().toString());
        assertTrue(m.warnings().stream().anyMatch(w -> w.contains("lease 172.22.0.99") && w.contains("matches no exported host")), m.warnings().toString());
        assertFalse(m.warnings().stream().anyMatch(w -> w.contains("edge-b-node-5 has no lease")));
    }

    @Test
    void pauseMarksOnlyWhatItPausedAndLeavesItPaused() {
        var hosts = servers.source().client().genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace("metal3");
        GenericKubernetesResource pre = hosts.withName("prod-a-node-1").get();
        pre.getMetadata().setAnnotations(Map.of("baremetalhost.metal3.io/paused", "someone-else"));
        hosts.resource(pre).update();
        Manifest m = export(dir.resolve("paused.tar.gz"), "--cluster", "prod-a", "--pause");
        assertTrue(m.pausedByExport().contains("cluster.x-k8s.io/Cluster/metal3/prod-a"));
        assertTrue(m.pausedByExport().contains("metal3.io/BareMetalHost/metal3/prod-a-node-0"));
        assertFalse(m.pausedByExport().contains("metal3.io/BareMetalHost/metal3/prod-a-node-1"), "already paused by someone else");
        assertFalse(m.pausedByExport().stream().anyMatch(p -> p.contains("edge-b")));
        assertEquals("pivotctl", hosts.withName("prod-a-node-0").get().getMetadata().getAnnotations().get("baremetalhost.metal3.io/paused"));
        assertEquals("someone-else", hosts.withName("prod-a-node-1").get().getMetadata().getAnnotations().get("baremetalhost.metal3.io/paused"));
        GenericKubernetesResource cluster = servers.source().client().genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Cluster")
                .inNamespace("metal3").withName("prod-a").get();
        assertEquals(Boolean.TRUE, ((Map<?, ?>) cluster.getAdditionalProperties().get("spec")).get("paused"));
        assertNotNull(hosts.withName("edge-b-node-5").get());
        assertTrue(hosts.withName("edge-b-node-5").get().getMetadata().getAnnotations() == null
                || !hosts.withName("edge-b-node-5").get().getMetadata().getAnnotations().containsKey("baremetalhost.metal3.io/paused"));
    }

    @Test
    void hostsChangingStateDuringExportDoNotBreakItAndListVersionsAreRecorded() throws Exception {
        var hosts = servers.source().client().genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace("metal3");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger changes = new java.util.concurrent.atomic.AtomicInteger();
        Thread churn = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                for (String name : List.of("spare-0", "spare-1")) {
                    boolean on = i % 2 == 0;
                    hosts.withName(name).editStatus(h -> {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> st = (Map<String, Object>) h.getAdditionalProperties().get("status");
                        st.put("poweredOn", on);
                        st.put("operationalStatus", on ? "OK" : "detached");
                        return h;
                    });
                    hosts.withName(name).edit(h -> {
                        Map<String, String> labels = new HashMap<>(h.getMetadata().getLabels() == null ? Map.of() : h.getMetadata().getLabels());
                        labels.put("churn", Integer.toString(changes.get()));
                        h.getMetadata().setLabels(labels);
                        return h;
                    });
                    changes.incrementAndGet();
                }
            }
        }, "churn");
        churn.start();
        try {
            Manifest first = export(dir.resolve("churn-1.tar.gz"));
            Manifest second = export(dir.resolve("churn-2.tar.gz"));
            String key = "baremetalhosts.metal3.io@metal3";
            assertTrue(first.listResourceVersions().get(key).matches("\\d+"), first.listResourceVersions().toString());
            assertTrue(Long.parseLong(second.listResourceVersions().get(key)) > Long.parseLong(first.listResourceVersions().get(key)),
                    "the hosts changed between the two exports and the recorded list versions say so");
            for (String a : List.of("churn-1.tar.gz", "churn-2.tar.gz")) {
                Cli.Result v = Cli.run("validate", dir.resolve(a).toString());
                assertEquals(0, v.exitCode(), v.toString());
            }
        } finally {
            stop.set(true);
            churn.join();
        }
        assertTrue(changes.get() > 4, "the hosts really changed during the exports: " + changes.get());
    }

    @Test
    void clearErrorsForBadSelectionsAndMissingKeys() {
        Path out = dir.resolve("x.tar.gz");
        Cli.Result noKey = Cli.run("export", "--kubeconfig", kubeconfig, "-n", "metal3", "-o", out.toString());
        assertEquals(2, noKey.exitCode());
        assertTrue(noKey.err().contains("pivotctl keygen"), noKey.err());
        Cli.Result ns = Cli.run("export", "--kubeconfig", kubeconfig, "-n", "nope", "-o", out.toString(), "--recipient", recipient);
        assertEquals(2, ns.exitCode());
        assertTrue(ns.err().contains("namespace nope not found"), ns.err());
        Cli.Result cl = Cli.run("export", "--kubeconfig", kubeconfig, "-n", "metal3", "-o", out.toString(), "--recipient", recipient, "--cluster", "zz");
        assertEquals(2, cl.exitCode());
        assertTrue(cl.err().contains("cluster zz not found in namespace(s) metal3"), cl.err());
        Cli.Result badRecipient = Cli.run("export", "--kubeconfig", kubeconfig, "-o", out.toString(), "--recipient", "age1nope");
        assertEquals(2, badRecipient.exitCode());
        assertFalse(out.toFile().exists(), "no archive after a failed export");
        for (Cli.Result r : List.of(noKey, ns, cl, badRecipient)) {
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }
}

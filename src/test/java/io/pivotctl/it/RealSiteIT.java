package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.pivotctl.Json;
import io.pivotctl.ObjectDiff;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ArchiveReader;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.ManifestCodec;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.kube.KubeTarget;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.RealSite;
import io.pivotctl.testing.TestApiServer;
import io.pivotctl.testing.TestKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source shaped like a real Metal3 site (see {@link RealSite}) with the upstream CRDs: exported with {@code -n metal3}
 * (its ClusterClass in namespace classes follows) it round-trips
 * exactly, by this test's own field-by-field comparison with the source (not by pivotctl verify), and
 * {@code --cluster} stays inside the Cluster asked for.
 */
class RealSiteIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withCrds(CrdSet.upstream()).withFleet(RealSite.objects());

    @TempDir
    static Path dir;

    static TestKey key;
    static final String GLOBAL_POOL_CRD = RealSite.GLOBAL_POOL_CRD;

    @BeforeAll
    static void load() {
        RealSite.labelForMoveHierarchy(List.of(servers.source(), servers.target()), true);
        // a Machine in scale-down: finalizer pending, deletionTimestamp set
        var machines = servers.source().client().genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Machine").inNamespace(RealSite.NS);
        machines.withName(RealSite.DELETING_MACHINE).edit(m -> { m.getMetadata().getFinalizers().add(RealSite.DELETING_FINALIZER); return m; });
        machines.withName(RealSite.DELETING_MACHINE).delete();
        key = servers.key();
    }

    @org.junit.jupiter.api.AfterAll
    static void unlabel() {
        RealSite.labelForMoveHierarchy(List.of(servers.source(), servers.target()), false);
    }

    static Manifest manifestOf(Path archive) {
        return ManifestCodec.parse(ArchiveReader.read(archive, ArchiveLimits.DEFAULT).manifestBytes());
    }

    static Set<String> archivedIds(Manifest m) {
        return m.entries().stream().filter(Manifest.Entry::isObject).map(e -> EntryPaths.id(EntryPaths.idOf(e))).collect(Collectors.toSet());
    }

    @Test
    void aRealShapedSiteRoundTripsFieldForField() {
        Path archive = dir.resolve("site.tar.gz");
        // -n metal3, as an operator names the site's namespace: the ClusterClass site-x uses in namespace classes must follow
        Cli.Result export = Cli.run("export", "--kubeconfig", servers.source().kubeconfig().toString(), "-n", RealSite.NS, "-o", archive.toString(),
                "--recipient", key.recipient(), "-q");
        assertEquals(0, export.exitCode(), export.toString());
        Manifest m = manifestOf(archive);
        Set<String> ids = archivedIds(m);
        assertEquals(Set.copyOf(sharedClassIds()), ids.stream().filter(id -> id.contains("/" + RealSite.CLASSES_NS + "/")).collect(Collectors.toSet()),
                "from namespace classes: the class site-x uses and its templates, nothing else");
        assertEquals(null, servers.target().client().namespaces().withName(RealSite.CLASSES_NS).get(), "the target has no namespace classes yet");
        for (String s : RealSite.NESTED_SECRETS) {
            assertTrue(ids.contains("core/Secret/metal3/" + s), "Secret reached only through contentFrom/passwdFrom: " + s);
        }
        for (String id : List.of("core/Secret/metal3/" + RealSite.MOVE_SECRET, "core/ConfigMap/metal3/" + RealSite.MOVE_CONFIGMAP,
                "cluster.x-k8s.io/ClusterClass/metal3/" + RealSite.CLASS, "cluster.x-k8s.io/Cluster/metal3/" + RealSite.TOPOLOGY,
                "controlplane.cluster.x-k8s.io/KubeadmControlPlaneTemplate/metal3/" + RealSite.CLASS + "-cp",
                "ipam.cluster.x-k8s.io/GlobalInClusterIPPool/_cluster/" + RealSite.GLOBAL_POOL,
                "infrastructure.cluster.x-k8s.io/Metal3MachineTemplate/metal3/" + RealSite.SHARED_TEMPLATE)) {
            assertTrue(ids.contains(id), id + " not archived");
        }
        String deleting = "cluster.x-k8s.io/Machine/metal3/" + RealSite.DELETING_MACHINE;
        assertFalse(ids.contains(deleting), "a Machine being deleted must not come back to life");
        assertFalse(ids.contains("bootstrap.cluster.x-k8s.io/KubeadmConfig/metal3/" + RealSite.DELETING_MACHINE), "what it controls stays behind too");
        assertTrue(m.leftOut().stream().anyMatch(l -> l.kind().equals("Machine") && l.objects().contains(deleting) && l.reason().contains("being deleted")),
                "named in the manifest: " + m.leftOut());
        assertTrue(export.out().contains("1 Machine being deleted") || Cli.run("inspect", archive.toString()).out().contains("1 Machine being deleted"));

        Cli.Result imp = Cli.run("import", archive.toString(), "--kubeconfig", servers.target().kubeconfig().toString(), "--identity",
                key.identity().toString(), "-q");
        assertEquals(0, imp.exitCode(), imp.toString());
        Cli.Result verify = Cli.run("verify", archive.toString(), "--kubeconfig", servers.target().kubeconfig().toString(), "--identity",
                key.identity().toString());
        assertEquals(0, verify.exitCode(), verify.toString());

        List<String> differences = new ArrayList<>();
        int compared = 0;
        try (ClusterConnection src = connect(servers.source()); ClusterConnection dst = connect(servers.target())) {
            ResourceClient source = new ResourceClient(src);
            ResourceClient target = new ResourceClient(dst);
            for (Manifest.Entry e : m.entries()) {
                if (!e.isObject()) {
                    continue;
                }
                ResourceType type = new ResourceType(e.group(), e.version(), e.kind(), e.resource(), !e.namespace().isEmpty(), e.hasStatus());
                ObjectNode before = source.get(type, e.namespace().isEmpty() ? null : e.namespace(), e.name()).orElseThrow();
                Optional<ObjectNode> after = target.get(type, e.namespace().isEmpty() ? null : e.namespace(), e.name());
                if (after.isEmpty()) {
                    differences.add(e.path() + " missing on the target");
                    continue;
                }
                for (String d : ObjectDiff.exactDifferences(comparable(before), comparable(after.get()), "")) {
                    differences.add(EntryPaths.idOf(e) + d);
                }
                compared++;
            }
        }
        assertEquals(List.of(), differences);
        assertTrue(compared > 100, "compared " + compared + " objects");
        assertTrue(servers.target().client().namespaces().withName(RealSite.CLASSES_NS).get() != null, "import created namespace classes");
    }

    /** "cluster.x-k8s.io/ClusterClass/classes/standard" and its templates' ids. */
    static List<String> sharedClassIds() {
        List<String> out = new ArrayList<>(List.of("cluster.x-k8s.io/ClusterClass/" + RealSite.CLASSES_NS + "/" + RealSite.SHARED_CLASS));
        Map<String, String> groups = Map.of("Metal3ClusterTemplate", "infrastructure.cluster.x-k8s.io", "Metal3MachineTemplate", "infrastructure.cluster.x-k8s.io",
                "KubeadmControlPlaneTemplate", "controlplane.cluster.x-k8s.io", "KubeadmConfigTemplate", "bootstrap.cluster.x-k8s.io");
        for (String t : RealSite.SHARED_CLASS_TEMPLATES) {
            String kind = t.substring(0, t.indexOf('/'));
            out.add(groups.get(kind) + "/" + kind + "/" + RealSite.CLASSES_NS + "/" + t.substring(t.indexOf('/') + 1));
        }
        return out;
    }

    /** --cluster site-x -n metal3: the class in namespace classes and its templates travel, and inspect names them. */
    @Test
    void aClusterBringsItsClassFromAnotherNamespace() {
        Path archive = dir.resolve("site-x.tar.gz");
        Cli.Result export = Cli.run("export", "--kubeconfig", servers.source().kubeconfig().toString(), "-n", RealSite.NS, "--cluster",
                RealSite.CROSS_NS_CLUSTER, "-o", archive.toString(), "--recipient", key.recipient(), "-q");
        assertEquals(0, export.exitCode(), export.toString());
        Set<String> ids = archivedIds(manifestOf(archive));
        Set<String> expected = new java.util.TreeSet<>(sharedClassIds());
        expected.add("cluster.x-k8s.io/Cluster/" + RealSite.NS + "/" + RealSite.CROSS_NS_CLUSTER);
        // labelled for move (the pool by its CRD) and tied to no Cluster: these travel with any --cluster
        expected.addAll(List.of("core/ConfigMap/metal3/" + RealSite.MOVE_CONFIGMAP, "core/Secret/metal3/" + RealSite.MOVE_SECRET,
                "ipam.cluster.x-k8s.io/GlobalInClusterIPPool/_cluster/" + RealSite.GLOBAL_POOL));
        assertEquals(expected, new java.util.TreeSet<>(ids), "the Cluster, its class and the class's templates: nothing of other Clusters or the unused class");
        Cli.Result inspect = Cli.run("inspect", archive.toString());
        assertEquals(0, inspect.exitCode(), inspect.toString());
        assertTrue(inspect.out().contains("ClusterClass " + RealSite.CLASSES_NS + "/" + RealSite.SHARED_CLASS + ": used by " + RealSite.NS + "/"
                + RealSite.CROSS_NS_CLUSTER + "; 5 template(s)"), inspect.out());
        assertTrue(inspect.out().contains("  Metal3MachineTemplate " + RealSite.CLASSES_NS + "/" + RealSite.SHARED_CLASS + "-worker-machine"), inspect.out());
        Cli.Result json = Cli.run("inspect", archive.toString(), "-o", "json");
        assertEquals(0, json.exitCode(), json.toString());
        assertTrue(json.out().contains("clusterClasses") && json.out().contains(RealSite.CLASSES_NS + "/" + RealSite.SHARED_CLASS + "-cp"), json.out());
    }

    /** --cluster site-b --pause: nothing of site-a archived, nothing of site-a paused, the shared template travels. */
    @Test
    void oneClusterNeitherArchivesNorPausesTheOther() {
        Path archive = dir.resolve("site-b.tar.gz");
        Cli.Result export = Cli.run("export", "--kubeconfig", servers.source().kubeconfig().toString(), "-n", RealSite.NS, "--cluster", RealSite.SITE_B,
                "--pause", "-o", archive.toString(), "--recipient", key.recipient(), "-q");
        assertEquals(0, export.exitCode(), export.toString());
        try {
            Manifest m = manifestOf(archive);
            Set<String> ids = archivedIds(m);
            assertTrue(ids.contains("cluster.x-k8s.io/Cluster/metal3/" + RealSite.SITE_B));
            assertTrue(ids.contains("infrastructure.cluster.x-k8s.io/Metal3MachineTemplate/metal3/" + RealSite.SHARED_TEMPLATE), "shared objects travel");
            List<String> ofA = ids.stream().filter(id -> id.contains("/" + RealSite.SITE_A)).toList();
            assertEquals(List.of(), ofA, "objects of site-a in a --cluster site-b archive");
            assertTrue(m.pausedByExport().contains("cluster.x-k8s.io/Cluster/metal3/" + RealSite.SITE_B), m.pausedByExport().toString());
            assertTrue(m.pausedByExport().stream().noneMatch(id -> id.contains(RealSite.SITE_A)), m.pausedByExport().toString());
            var clusters = servers.source().client().genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Cluster").inNamespace(RealSite.NS);
            assertEquals(Boolean.FALSE, ((Map<?, ?>) clusters.withName(RealSite.SITE_A).get().getAdditionalProperties().get("spec")).get("paused"));
            assertEquals(Boolean.TRUE, ((Map<?, ?>) clusters.withName(RealSite.SITE_B).get().getAdditionalProperties().get("spec")).get("paused"));
            var hosts = servers.source().client().genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace(RealSite.NS).list().getItems();
            for (var h : hosts) {
                String cluster = h.getMetadata().getLabels() == null ? null : h.getMetadata().getLabels().get("cluster.x-k8s.io/cluster-name");
                boolean paused = h.getMetadata().getAnnotations() != null && h.getMetadata().getAnnotations().containsKey("baremetalhost.metal3.io/paused");
                assertEquals(RealSite.SITE_B.equals(cluster), paused, h.getMetadata().getName() + " of " + cluster + " paused=" + paused);
            }
        } finally {
            // leave the source as it was for the other test: the abort path a user would take
            Cli.Result unpause = Cli.run("unpause", archive.toString(), "--kubeconfig", servers.source().kubeconfig().toString());
            assertEquals(0, unpause.exitCode(), unpause.toString());
        }
    }

    private static ClusterConnection connect(TestApiServer server) {
        return KubeConnector.connect(new KubeTarget(server.kubeconfig(), null, 4, 0));
    }

    /**
     * What must be equal after a move: everything but the server's bookkeeping (uid, resourceVersion,
     * creation time, generation, managedFields), ownerReference uids (new owners have new uids), and the two
     * markers import documents (restored-from annotation, import-run label).
     */
    static JsonNode comparable(ObjectNode o) {
        ObjectNode c = o.deepCopy();
        ObjectNode meta = (ObjectNode) c.get("metadata");
        for (String f : List.of("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink")) {
            meta.remove(f);
        }
        if (meta.get("ownerReferences") != null) {
            meta.get("ownerReferences").forEach(r -> ((ObjectNode) r).remove("uid"));
        }
        if (meta.get("annotations") instanceof ObjectNode a) {
            a.remove("pivotctl.io/restored-from");
            if (a.isEmpty()) {
                meta.remove("annotations");
            }
        }
        if (meta.get("labels") instanceof ObjectNode l) {
            l.remove("pivotctl.io/import-run");
            if (l.isEmpty()) {
                meta.remove("labels");
            }
        }
        // credentialsVersion is the BMC Secret's resourceVersion: it changes on any new cluster (docs/baremetalhost.md), and BMO re-validates
        if (c.path("status").path("goodCredentials").has("credentialsVersion")) {
            ((ObjectNode) c.path("status").path("goodCredentials")).remove("credentialsVersion");
            ((ObjectNode) c.path("status").path("triedCredentials")).remove("credentialsVersion");
        }
        return Json.canonical(c);
    }
}

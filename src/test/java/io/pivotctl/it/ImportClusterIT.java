package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
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
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bad day: someone deleted workload cluster prod-b in the management cluster (the garbage collector took what it
 * owned); prod-a, which shares a template and a global pool with it, runs on. {@code import --cluster prod-b} from last
 * night's full backup, into that same management cluster, restores exactly prod-b's closure and touches nothing that is
 * there; {@code verify --cluster prod-b} is equal; {@code --dry-run} names what it will create and what is already there.
 */
class ImportClusterIT {

    static final String NS = "metal3";
    static final String SHARED_TEMPLATE = "shared-workers";
    static final String GLOBAL_POOL = "provisioning-global";

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.one().withCrds(CrdSet.upstream()).withFleet(site());

    /** Two Clusters sharing a Metal3MachineTemplate (owned by both) and a GlobalInClusterIPPool (named by both data templates), one spare host. */
    static List<ObjectNode> site() {
        List<ObjectNode> out = new ArrayList<>(Metal3Fleet.of(NS, List.of(new Metal3Fleet.ClusterSpec("prod-a", 1, 1),
                new Metal3Fleet.ClusterSpec("prod-b", 1, 1)), 1));
        for (ObjectNode o : out) {
            if (o.path("kind").asText().equals("Metal3DataTemplate")) {
                ObjectNode ipv4 = o.with("spec").with("networkData").with("networks").withArray("ipv4").addObject();
                ipv4.put("id", "provisioning").put("link", "enp1s0");
                ipv4.putObject("fromPoolRef").put("apiGroup", "ipam.cluster.x-k8s.io").put("kind", "GlobalInClusterIPPool").put("name", GLOBAL_POOL);
            }
        }
        out.add(Json.MAPPER.valueToTree(Map.of("apiVersion", "ipam.cluster.x-k8s.io/v1alpha2", "kind", "GlobalInClusterIPPool",
                "metadata", Map.of("name", GLOBAL_POOL), "spec", Map.of("addresses", List.of("172.23.0.10-172.23.0.200"), "prefix", 24,
                        "gateway", "172.23.0.1"))));
        ObjectNode shared = Json.MAPPER.valueToTree(Map.of("apiVersion", "infrastructure.cluster.x-k8s.io/v1beta2", "kind", "Metal3MachineTemplate",
                "metadata", Map.of("name", SHARED_TEMPLATE, "namespace", NS),
                "spec", Map.of("template", Map.of("spec", Map.of("dataTemplate", Map.of("name", "prod-b-template"),
                        "image", Map.of("url", "http://172.22.0.1/images/ubuntu-24.04.qcow2", "checksum", "http://172.22.0.1/images/ubuntu-24.04.qcow2.sha256sum",
                                "checksumType", "sha256"))))));
        ArrayNode owners = shared.with("metadata").withArray("ownerReferences");
        for (String c : List.of("prod-a", "prod-b")) {
            owners.addObject().put("apiVersion", "cluster.x-k8s.io/v1beta2").put("kind", "Cluster").put("name", c);
        }
        out.add(shared);
        return out;
    }

    @Test
    void oneClusterComesBackFromAFullBackupBesideTheOther() throws Exception {
        Path archive = servers.dir().resolve("site.tar.gz");
        String kubeconfig = servers.source().kubeconfig().toString();
        Cli.Result export = Cli.run("export", "--kubeconfig", kubeconfig, "-n", NS, "-o", archive.toString(), "--recipient", servers.key().recipient(), "-q");
        assertEquals(0, export.exitCode(), export.toString());
        Manifest m = ManifestCodec.parse(ArchiveReader.read(archive, ArchiveLimits.DEFAULT).manifestBytes());

        // the operator deletes Cluster prod-b; the garbage collector takes everything only it owned, transitively
        Set<String> collected = collectedWith(m, "cluster.x-k8s.io/Cluster/" + NS + "/prod-b");
        assertTrue(collected.size() > 15, "the GC takes prod-b's tree: " + collected);
        servers.source().client().genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Cluster").inNamespace(NS).withName("prod-b").delete();
        await(() -> live(m).keySet().stream().noneMatch(collected::contains), () -> "still there: " + collected.stream().filter(live(m)::containsKey).toList());
        Map<String, String> before = live(m);

        Cli.Result plan = Cli.run("import", archive.toString(), "--kubeconfig", kubeconfig, "--identity", servers.key().identity().toString(),
                "--cluster", "prod-b", "--dry-run");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("Will create " + collected.size() + " object(s):"), plan.out());
        for (String id : collected) {
            assertTrue(plan.out().contains("  " + EntryPaths.parseId(id) + "\n"), id + " to be created:\n" + plan.out());
        }
        assertTrue(plan.out().contains(shown("infrastructure.cluster.x-k8s.io/Metal3MachineTemplate/" + NS + "/" + SHARED_TEMPLATE)
                + ": exists, shared with a Cluster not being restored: used as it is"), plan.out());
        assertTrue(plan.out().contains(shown("metal3.io/BareMetalHost/" + NS + "/prod-b-node-2") + ": present (the archived UID)"), plan.out());
        assertTrue(plan.out().contains(shown("ipam.cluster.x-k8s.io/GlobalInClusterIPPool/_cluster/" + GLOBAL_POOL) + ": exists, cluster-scoped"), plan.out());
        assertTrue(!plan.out().contains("metal3/prod-a") && !plan.out().contains("spare-0"), "nothing of prod-a or the spare host is planned:\n" + plan.out());
        assertTrue(plan.err().contains("Metal3MachineTemplate.infrastructure.cluster.x-k8s.io metal3/" + SHARED_TEMPLATE + " exists, shared with a Cluster"
                + " not being restored: used as it is, never updated; its ownerReference to Cluster prod-b is gone on the target and is not restored"),
                "the garbage collector dropped the shared template's reference to prod-b; the operator hears so:\n" + plan.err());
        assertEquals(before, live(m), "the dry run wrote nothing");

        Cli.Result imp = Cli.run("import", archive.toString(), "--kubeconfig", kubeconfig, "--identity", servers.key().identity().toString(),
                "--cluster", "prod-b", "-q");
        assertEquals(0, imp.exitCode(), imp.toString());

        Map<String, String> after = live(m);
        Map<String, String> unchanged = new TreeMap<>();
        before.keySet().forEach(id -> unchanged.put(id, after.get(id)));
        assertEquals(before, unchanged, "every object that was there keeps its UID and resourceVersion");
        Set<String> restored = new TreeSet<>(after.keySet());
        restored.removeAll(before.keySet());
        assertEquals(new TreeSet<>(collected), restored, "exactly what the GC took comes back");
        assertEquals(new TreeSet<>(collected), restoredByImport(m), "the objects carrying this archive's restored-from mark");

        Cli.Result verify = Cli.run("verify", archive.toString(), "--kubeconfig", kubeconfig, "--identity", servers.key().identity().toString(),
                "--cluster", "prod-b");
        assertEquals(0, verify.exitCode(), verify.toString());
        assertTrue(verify.out().contains("EQUAL"), verify.out());
        Cli.Result other = Cli.run("verify", archive.toString(), "--kubeconfig", kubeconfig, "--identity", servers.key().identity().toString(),
                "--cluster", "prod-a");
        assertEquals(0, other.exitCode(), "prod-a, never touched, is as archived:\n" + other);
    }

    /** What the garbage collector deletes with {@code root}: objects all of whose owners it deletes, transitively (from the archive's graph). */
    static Set<String> collectedWith(Manifest m, String root) {
        Map<String, Set<String>> owners = new HashMap<>();
        for (Manifest.GraphEdge e : m.graph().edges()) {
            if (e.type().equals("owner")) {
                owners.computeIfAbsent(e.from(), k -> new TreeSet<>()).add(e.to());
            }
        }
        Set<String> gone = new TreeSet<>(Set.of(root));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, Set<String>> o : owners.entrySet()) {
                if (!gone.contains(o.getKey()) && gone.containsAll(o.getValue())) {
                    gone.add(o.getKey());
                    grew = true;
                }
            }
        }
        return gone;
    }

    /** Every archived object on the server now: id to "uid resourceVersion". */
    static Map<String, String> live(Manifest m) {
        Map<String, String> out = new TreeMap<>();
        forEachLive(m, (id, o) -> out.put(id, o.path("metadata").path("uid").asText() + " " + o.path("metadata").path("resourceVersion").asText()));
        return out;
    }

    static Set<String> restoredByImport(Manifest m) {
        Set<String> out = new TreeSet<>();
        forEachLive(m, (id, o) -> {
            if (m.archiveId().equals(o.path("metadata").path("annotations").path(PivotctlMarks.RESTORED_FROM).asText(null))) {
                out.add(id);
            }
        });
        return out;
    }

    static void forEachLive(Manifest m, java.util.function.BiConsumer<String, ObjectNode> each) {
        try (ClusterConnection c = KubeConnector.connect(new KubeTarget(servers.source().kubeconfig(), null, 4, 0))) {
            ResourceClient client = new ResourceClient(c);
            for (Manifest.Entry e : m.entries()) {
                if (e.isObject()) {
                    ResourceType type = new ResourceType(e.group(), e.version(), e.kind(), e.resource(), !e.namespace().isEmpty(), e.hasStatus());
                    Optional<ObjectNode> o = client.get(type, e.namespace().isEmpty() ? null : e.namespace(), e.name());
                    o.ifPresent(live -> each.accept(EntryPaths.id(EntryPaths.idOf(e)), live));
                }
            }
        }
    }

    /** How pivotctl prints the object of an archive id. */
    static String shown(String archiveId) {
        ObjectId id = EntryPaths.parseId(archiveId);
        return id.toString();
    }

    static void await(BooleanSupplier condition, java.util.function.Supplier<String> why) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 120 s: " + why.get() + "\nkube-controller-manager log:\n" + servers.source().ensureGarbageCollector().tail());
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

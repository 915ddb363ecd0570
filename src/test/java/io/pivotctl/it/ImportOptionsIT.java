package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pivotctl.Json;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.ImportWatch;
import io.pivotctl.testing.Metal3Fleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import options a disaster-recovery drill and a careful pivot use: --install-crds into a bare cluster,
 * --keep-paused, --bmh-status-annotation, --leases-configmap, then imports over existing objects with
 * --on-conflict skip and update, and the import-run label that says which run created what.
 */
class ImportOptionsIT {

    /** The target gets no CRDs: --install-crds brings them. */
    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withSourceCrds(CrdSet.upstreamOrFixtures())
            .withFleet(Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("c1", 1, 1)), 1));

    @TempDir
    static Path dir;

    static Path identity;
    static Path archive;
    static String target;

    @BeforeAll
    static void setUp() throws Exception {
        identity = servers.key().identity();
        Path leases = dir.resolve("dnsmasq.leases");
        Files.writeString(leases, "1790000000 00:5c:52:00:00:01 172.22.0.10 c1-node-0 *\n");
        archive = servers.key().exportMetal3(servers.source(), dir.resolve("a.tar.gz"), "--leases-file", leases.toString());
        target = servers.target().kubeconfig().toString();
    }

    /** A target without CRDs or objects of the archive (each test sets up its own target: any order works). */
    static void bareTarget() {
        servers.resetTargetWithoutCrds();
    }

    /** A target with the archive freshly imported; returns the archived spec.online of host c1-node-0. */
    static boolean importedTarget() {
        servers.resetTarget();
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", target, "--identity", identity.toString(), "--install-crds",
                "--leases-configmap", "ironic/leases", "--on-conflict", "skip");
        assertEquals(0, r.exitCode(), r.toString());
        return (Boolean) ((Map<?, ?>) host("c1-node-0").getAdditionalProperties().get("spec")).get("online");
    }

    /** Someone changes host c1-node-0 on the target after the import. */
    static void flipOnline(boolean archivedOnline) {
        GenericKubernetesResource before = host("c1-node-0");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) before.getAdditionalProperties().get("spec");
        spec.put("online", !archivedOnline);
        servers.target().client().resource(before).update();
    }

    static GenericKubernetesResource host(String name) {
        return servers.target().client().genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace("metal3").withName(name).get();
    }

    @Test
    void installCrdsKeepPausedAndTheBmhStatusAnnotationIntoABareCluster() throws Exception {
        bareTarget();
        KubernetesClient tgt = servers.target().client();
        assertEquals(0, tgt.apiextensions().v1().customResourceDefinitions().list().getItems().size(), "a bare cluster");
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", target, "--identity", identity.toString(),
                "--install-crds", "--keep-paused", "--bmh-status-annotation", "--leases-configmap", "ironic/leases");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("installing CRD baremetalhosts.metal3.io"), r.err());
        assertNotNull(tgt.apiextensions().v1().customResourceDefinitions().withName("baremetalhosts.metal3.io").get());

        GenericKubernetesResource h = host("c1-node-0");
        assertEquals("pivotctl", h.getMetadata().getAnnotations().get("baremetalhost.metal3.io/paused"), "--keep-paused leaves hosts paused");
        GenericKubernetesResource cluster = tgt.genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Cluster").inNamespace("metal3").withName("c1").get();
        assertEquals(Boolean.TRUE, ((Map<?, ?>) cluster.getAdditionalProperties().get("spec")).get("paused"), "--keep-paused leaves Clusters paused");

        JsonNode annotation = parse(h.getMetadata().getAnnotations().get("baremetalhost.metal3.io/status"));
        JsonNode status = Json.MAPPER.valueToTree(h.getAdditionalProperties().get("status"));
        assertEquals(status.at("/provisioning/state"), annotation.at("/provisioning/state"));
        assertEquals(status.at("/provisioning/ID"), annotation.at("/provisioning/ID"));
        assertTrue(annotation.path("hardware").isMissingNode(), "BMO's restore annotation leaves hardware out (size cap)");

        assertNotNull(tgt.configMaps().inNamespace("ironic").withName("leases").get(), "--leases-configmap NS/NAME, namespace created");
        assertNull(tgt.configMaps().inNamespace("metal3").withName("dnsmasq-leases-configmap").get());

        String run = h.getMetadata().getLabels().get("pivotctl.io/import-run");
        assertNotNull(run, "every object the run created names the run");
        assertEquals(ImportWatch.perKind(servers.target(), "metal3").values().stream().mapToInt(Integer::intValue).sum(),
                countLabelled(run), "kubectl get -l pivotctl.io/import-run=ID lists exactly what the run created");

        Cli.Result v = Cli.run("verify", archive.toString(), "--kubeconfig", target, "--identity", identity.toString(),
                "--leases-configmap", "ironic/leases", "--expect-paused");
        assertEquals(0, v.exitCode(), "with --expect-paused, --keep-paused's pause and pivotctl's own labels are not differences: " + v);
    }

    @Test
    void onConflictSkipLeavesTheTargetAsItIs() {
        boolean archivedOnline = importedTarget();
        flipOnline(archivedOnline);

        Cli.Result fail = Cli.run("import", archive.toString(), "--kubeconfig", target, "--identity", identity.toString(),
                "--leases-configmap", "ironic/leases");
        assertEquals(3, fail.exitCode(), "default --on-conflict fail: " + fail);
        assertTrue(fail.err().contains("BareMetalHost.metal3.io metal3/c1-node-0 already exists on the target (use --on-conflict skip or update)"),
                fail.err());

        Cli.Result skip = Cli.run("import", archive.toString(), "--kubeconfig", target, "--identity", identity.toString(),
                "--leases-configmap", "ironic/leases", "--on-conflict", "skip");
        assertEquals(0, skip.exitCode(), skip.toString());
        assertTrue(skip.out().matches("(?s).*BareMetalHost\\.metal3\\.io\\s+0\\s+3\\s+0.*"), "3 hosts skipped: " + skip.out());
        assertEquals(!archivedOnline, ((Map<?, ?>) host("c1-node-0").getAdditionalProperties().get("spec")).get("online"), "skipped: left as it was");
    }

    @Test
    void onConflictUpdateWritesTheArchivedContentBack() {
        boolean archivedOnline = importedTarget();
        flipOnline(archivedOnline);
        Cli.Result diff = Cli.run("verify", archive.toString(), "--kubeconfig", target, "--identity", identity.toString(),
                "--leases-configmap", "ironic/leases");
        assertEquals(4, diff.exitCode(), "spec.online changed on the target is a difference: " + diff);
        assertTrue(diff.out().contains("c1-node-0") && diff.out().contains("spec.online"), diff.out());

        Cli.Result update = Cli.run("import", archive.toString(), "--kubeconfig", target, "--identity", identity.toString(),
                "--leases-configmap", "ironic/leases", "--on-conflict", "update");
        assertEquals(0, update.exitCode(), update.toString());
        assertTrue(update.out().matches("(?s).*BareMetalHost\\.metal3\\.io\\s+0\\s+0\\s+3.*"), "3 hosts updated: " + update.out());
        Cli.Result v = Cli.run("verify", archive.toString(), "--kubeconfig", target, "--identity", identity.toString(),
                "--leases-configmap", "ironic/leases");
        assertEquals(0, v.exitCode(), v.toString());
        assertEquals(archivedOnline, ((Map<?, ?>) host("c1-node-0").getAdditionalProperties().get("spec")).get("online"));
    }

    /** -v ends with the request count (the bench parses it): at least a dry run and a create per object created. */
    @Test
    void verboseImportEndsWithItsRequestCount() {
        servers.resetTarget();
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", target, "--identity", identity.toString(), "--install-crds",
                "--leases-configmap", "ironic/leases", "--on-conflict", "skip", "-v");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.err().lines().toList();
        String last = lines.stream().filter(l -> l.startsWith("[api] ") || l.startsWith("api requests: ")).reduce((a, b) -> b).orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("api requests: (\\d+) \\(GET (\\d+), POST (\\d+), PUT (\\d+), PATCH (\\d+), DELETE (\\d+); dry-run (\\d+)\\)").matcher(last);
        assertTrue(m.matches(), "the count is the last -v line: " + last);
        int created = ImportWatch.perKind(servers.target(), "metal3").values().stream().mapToInt(Integer::intValue).sum();
        long total = Long.parseLong(m.group(1));
        long posts = Long.parseLong(m.group(3));
        long dryRuns = Long.parseLong(m.group(7));
        long apiLines = lines.stream().filter(l -> l.startsWith("[api] ")).count();
        assertTrue(created > 10, "a fleet was imported: " + created);
        assertTrue(dryRuns >= created, "every created object was dry-run first: " + dryRuns + " dry runs, " + created + " objects");
        assertTrue(posts - dryRuns >= created, "every object was created: " + last);
        assertTrue(total >= apiLines, "every traced call sent at least one request: " + total + " < " + apiLines);
        assertEquals(total, Long.parseLong(m.group(2)) + posts + Long.parseLong(m.group(4)) + Long.parseLong(m.group(5)) + Long.parseLong(m.group(6)),
                "only GET, POST, PUT, PATCH and DELETE were sent");
        GenericKubernetesResource h = host("c1-node-0");
        assertNotNull(h.getMetadata().getLabels().get("pivotctl.io/import-run"));
        assertNotNull(h.getMetadata().getAnnotations().get("pivotctl.io/restored-from"), "created by this archive's import");
    }

    static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int countLabelled(String run) {
        KubernetesClient c = servers.target().client();
        int n = c.secrets().inNamespace("metal3").withLabel("pivotctl.io/import-run", run).list().getItems().size()
                + c.configMaps().inNamespace("metal3").withLabel("pivotctl.io/import-run", run).list().getItems().size();
        for (var crd : c.apiextensions().v1().customResourceDefinitions().list().getItems()) {
            String v = crd.getSpec().getVersions().stream().filter(x -> x.getStorage()).findFirst().orElseThrow().getName();
            n += c.genericKubernetesResources(crd.getSpec().getGroup() + "/" + v, crd.getSpec().getNames().getKind()).inNamespace("metal3")
                    .withLabel("pivotctl.io/import-run", run).list().getItems().size();
        }
        return n;
    }
}

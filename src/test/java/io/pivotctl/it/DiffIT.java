package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pivotctl.Json;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.Metal3Fleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code pivotctl diff} on two backups of one management cluster, taken before and after a host changed state, a Secret
 * was deleted, another Secret's value changed, a Cluster was added and the leases moved on: each is reported, with exit 4;
 * an archive against itself is equal (exit 0); no Secret value, old or new, appears in any output.
 */
class DiffIT {

    static final String NS = "metal3";
    static final List<ObjectNode> FLEET = Metal3Fleet.of(NS, List.of(new Metal3Fleet.ClusterSpec("prod-a", 1, 1)), 2);
    static final String CHANGED_VALUE = "diffit-new-password-7f3a9c";
    static final String CHANGED_SECRET = "spare-1-bmc-secret";
    static final String DELETED_SECRET = "spare-0-bmc-secret";

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.one().withCrds(CrdSet.upstreamOrFixtures()).withFleet(FLEET);

    static Path before;
    static Path after;

    @BeforeAll
    static void twoBackups() throws Exception {
        Path dir = servers.dir();
        Path leasesA = Files.writeString(dir.resolve("a.leases"), "1764900000 00:5c:52:00:00:00 172.22.0.10 prod-a-node-0 *\n"
                + "1764900000 00:5c:52:00:00:01 172.22.0.11 prod-a-node-1 *\n");
        Path leasesB = Files.writeString(dir.resolve("b.leases"), "1764990000 00:5c:52:00:00:00 172.22.0.10 prod-a-node-0 *\n"
                + "1764990000 00:5c:52:00:00:01 172.22.0.21 prod-a-node-1 *\n1764990000 00:5c:52:00:00:02 172.22.0.12 spare-0 *\n");
        before = export(dir.resolve("monday.tar.gz"), leasesA);
        KubernetesClient c = servers.source().client();
        var hosts = c.genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace(NS);
        hosts.withName("spare-0").editStatus(h -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> provisioning = (Map<String, Object>) ((Map<String, Object>) h.getAdditionalProperties().get("status")).get("provisioning");
            provisioning.put("state", "provisioning");
            provisioning.put("ID", "9b6b1f6e-2d6f-4a46-8e4d-000000000099");
            return h;
        });
        c.secrets().inNamespace(NS).withName(DELETED_SECRET).delete();
        c.secrets().inNamespace(NS).withName(CHANGED_SECRET).edit(s -> new SecretBuilder(s).addToData("password",
                Base64.getEncoder().encodeToString(CHANGED_VALUE.getBytes(StandardCharsets.UTF_8))).build());
        GenericKubernetesResource cluster = Json.MAPPER.convertValue(Map.of("apiVersion", "cluster.x-k8s.io/v1beta2", "kind", "Cluster",
                "metadata", Map.of("name", "prod-c", "namespace", NS), "spec", Map.of("paused", false)), GenericKubernetesResource.class);
        c.genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Cluster").inNamespace(NS).resource(cluster).create();
        after = export(dir.resolve("tuesday.tar.gz"), leasesB);
    }

    static Path export(Path archive, Path leases) {
        Cli.Result r = Cli.run("export", "--kubeconfig", servers.source().kubeconfig().toString(), "-n", NS, "-o", archive.toString(),
                "--recipient", servers.key().recipient(), "--leases-file", leases.toString(), "-q");
        assertEquals(0, r.exitCode(), r.toString());
        return archive;
    }

    static Cli.Result diff(String... more) {
        List<String> args = new ArrayList<>(List.of("diff", before.toString(), after.toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void everyChangeIsReportedWithExitFour() {
        Cli.Result r = diff("--identity", servers.key().identity().toString());
        assertEquals(4, r.exitCode(), r.toString());
        String out = r.out();
        assertTrue(out.contains("host metal3/spare-0: provisioning state available -> provisioning"), out);
        assertTrue(out.contains("host metal3/spare-0: Ironic ID 8a5a0e5d-1c5e-4f35-9d3c-"), out);
        assertTrue(line(out, "BareMetalHost.metal3.io metal3/spare-0").contains("status.provisioning.ID, status.provisioning.state"), out);
        assertTrue(line(out, "Secret metal3/" + DELETED_SECRET).contains("removed"), out);
        assertTrue(line(out, "Secret metal3/" + CHANGED_SECRET).matches(".*changed\\s+data\\.password\\s*"), out);
        assertTrue(line(out, "Cluster.cluster.x-k8s.io metal3/prod-c").contains("added"), out);
        assertTrue(out.contains("lease 00:5c:52:00:00:01 changed: 172.22.0.11 prod-a-node-1 -> 172.22.0.21 prod-a-node-1"), out);
        assertTrue(out.contains("lease 00:5c:52:00:00:02 added: (none) -> 172.22.0.12 spare-0"), out);
        assertFalse(out.contains("00:5c:52:00:00:00"), "a lease whose expiry alone moved is unchanged:\n" + out);
        assertTrue(out.contains("DIFFERENT: ") && out.contains("Secrets compared by decrypted content"), out);
        assertFalse(out.contains("prod-a-node-0 "), "unchanged objects are not listed:\n" + out);
    }

    @Test
    void jsonNamesTheSameChanges() throws Exception {
        Cli.Result r = diff("--identity", servers.key().identity().toString(), "-o", "json");
        assertEquals(4, r.exitCode(), r.toString());
        JsonNode report = Json.MAPPER.readTree(r.out());
        assertFalse(report.path("equal").asBoolean(true));
        List<String> changed = new ArrayList<>();
        report.path("objects").forEach(o -> changed.add(o.path("change").asText() + " " + o.path("object").asText()));
        assertTrue(changed.contains("CHANGED Secret metal3/" + CHANGED_SECRET), changed.toString());
        assertTrue(changed.contains("REMOVED Secret metal3/" + DELETED_SECRET), changed.toString());
        assertTrue(changed.contains("ADDED Cluster.cluster.x-k8s.io metal3/prod-c"), changed.toString());
        assertEquals(2, report.path("hosts").size(), report.toString());
    }

    @Test
    void withoutTheKeyTheDeletedSecretIsStillFoundAndTheUndecidedAreCounted() {
        Cli.Result r = diff();
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(line(r.out(), "Secret metal3/" + DELETED_SECRET).contains("removed"), r.out());
        assertTrue(r.out().contains("Secrets compared by manifest digest (give --identity to compare content)"), r.out());
        assertTrue(r.out().contains("Secret(s) re-encrypted with the same description: content not compared"), r.out());
    }

    @Test
    void anArchiveAgainstItselfIsEqual() {
        Cli.Result r = Cli.run("diff", before.toString(), before.toString(), "--identity", servers.key().identity().toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().startsWith("EQUAL: 0 object(s)") || r.out().contains("\nEQUAL: 0 object(s)"), r.out());
    }

    @Test
    void noSecretValueInAnyOutput() {
        List<String> values = new ArrayList<>(Metal3Fleet.secretValues(FLEET));
        values.add(CHANGED_VALUE);
        values.add(Base64.getEncoder().encodeToString(CHANGED_VALUE.getBytes(StandardCharsets.UTF_8)));
        String key = servers.key().identity().toString();
        for (List<String> options : List.<List<String>>of(List.of(), List.of("-o", "json"), List.of("-q"), List.of("--identity", key),
                List.of("--identity", key, "-o", "json"), List.of("--identity", key, "-q"))) {
            Cli.Result r = diff(options.toArray(String[]::new));
            assertEquals(4, r.exitCode(), r.toString());
            for (String v : values) {
                assertFalse(r.out().contains(v) || r.err().contains(v), "a Secret value in the output of diff " + options);
            }
        }
    }

    /** The output line naming {@code object}, or "" when none does. */
    static String line(String out, String object) {
        return out.lines().filter(l -> l.contains(object + " ")).findFirst().orElse("");
    }
}

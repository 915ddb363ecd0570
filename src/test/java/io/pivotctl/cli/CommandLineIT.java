package io.pivotctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.TestKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The command line against real API servers: {@code -o json} on every cluster command (stdout is one JSON document),
 * and the previous release's spellings that need a cluster (export -o FILE, export -v naming left-out objects), each
 * with exactly one deprecation line. The source holds a Machine being deleted (left out, named in the manifest) and
 * a Secret nothing references (left out, only counted in the manifest).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandLineIT {

    static final String NS = "metal3";
    static final List<ObjectNode> INVENTORY = Metal3Fleet.of(NS, List.of(new Metal3Fleet.ClusterSpec("prod-a", 1, 1)), 1);

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withCrds(CrdSet.upstreamOrFixtures()).withFleet(INVENTORY);

    static final String NOTES = "operator-notes";
    static TestKey key;
    static String deleting;
    static Path archive;

    @BeforeAll
    static void setUp() {
        KubernetesClient c = servers.source().client();
        c.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(NOTES).endMetadata()
                .addToStringData("notes", "read by hand").build()).create();
        var machines = c.genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Machine").inNamespace(NS);
        deleting = machines.list().getItems().stream().map(m -> m.getMetadata().getName()).filter(n -> n.contains("worker")).findFirst()
                .orElse(machines.list().getItems().get(0).getMetadata().getName());
        machines.withName(deleting).edit(m -> {
            m.getMetadata().getFinalizers().add("machine.cluster.x-k8s.io");
            return m;
        });
        machines.withName(deleting).delete();
        key = servers.key();
        archive = servers.dir().resolve("mgmt.tar.gz");
    }

    private static List<String> export(String... args) {
        List<String> cmd = new ArrayList<>(List.of("export"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--kubeconfig", servers.source().kubeconfig().toString(), "-n", NS, "--recipient", key.recipient()));
        return cmd;
    }

    private static List<String> deprecations(Cli.Result r) {
        return r.err().lines().filter(l -> l.contains("deprecated")).toList();
    }

    @Test
    @Order(1)
    void exportJsonNamesEveryLeftOutObject() throws Exception {
        Cli.Result r = Cli.run(export(archive.toString(), "-o", "json", "-q"));
        JsonNode j = JsonOutputTest.json(r);
        assertEquals(List.of(), deprecations(r));
        assertEquals(archive.toString(), j.path("archive").asText());
        assertTrue(j.path("objects").asInt() > 10 && j.path("secretsEncrypted").asInt() > 0, j.toString());
        List<String> leftOut = StreamSupport.stream(j.path("leftOut").spliterator(), false)
                .flatMap(l -> StreamSupport.stream(l.path("objects").spliterator(), false)).map(JsonNode::asText).toList();
        assertTrue(leftOut.stream().anyMatch(id -> id.contains("Machine") && id.endsWith("/" + deleting)), leftOut.toString());
        assertTrue(leftOut.stream().anyMatch(id -> id.contains("Secret") && id.endsWith("/" + NOTES)), "JSON names Secrets too: " + leftOut);
    }

    @Test
    @Order(2)
    void exportDashOFileStillWritesTheArchiveWithOneDeprecationLine() {
        Path old = servers.dir().resolve("old-spelling.tar.gz");
        Cli.Result r = Cli.run(export("-o", old.toString(), "-q"));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(Files.exists(old));
        assertEquals(List.of("warning: 'export -o FILE' is deprecated and goes away in the next release: write 'export ARCHIVE'"
                + " (-o is the output format, table or json)"), deprecations(r));
        assertTrue(r.out().startsWith("Wrote " + old), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("Left out: \\d+ object\\(s\\) \\(--show-left-out names each\\)")), r.out());
    }

    @Test
    @Order(3)
    void exportDashVStillNamesLeftOutObjectsWithOneDeprecationLine() {
        Cli.Result old = Cli.run(export(servers.dir().resolve("v.tar.gz").toString(), "-v", "-q"));
        assertEquals(0, old.exitCode(), old.toString());
        assertEquals(List.of("warning: 'export -v' naming each left-out object is deprecated and goes away in the next release: write"
                + " 'export --show-left-out' (-v is the API-request trace)"), deprecations(old));
        assertTrue(old.out().contains(NS + "/" + deleting) && old.out().contains(NS + "/" + NOTES), old.out());
        assertTrue(old.err().contains("[api] "), "-v still traces API requests: " + old.err());

        Cli.Result neu = Cli.run(export(servers.dir().resolve("s.tar.gz").toString(), "--show-left-out", "-q"));
        assertEquals(0, neu.exitCode(), neu.toString());
        assertEquals(List.of(), deprecations(neu));
        assertTrue(neu.out().contains(NS + "/" + deleting) && neu.out().contains(NS + "/" + NOTES), neu.out());
        assertFalse(neu.err().contains("[api] "), "no trace without -v: " + neu.err());
    }

    @Test
    @Order(4)
    void inspectDashVStillListsWhatTheManifestNames() {
        Cli.Result old = Cli.run("inspect", "-v", archive.toString());
        assertEquals(0, old.exitCode(), old.toString());
        assertEquals(1, deprecations(old).size(), old.err());
        assertTrue(old.out().contains("/" + deleting), "the manifest names the Machine: " + old.out());
        assertFalse(old.out().contains(NOTES), "and only counts the Secret: " + old.out());
        assertTrue(old.out().lines().anyMatch(l -> l.startsWith("  ") && l.contains("Secret")), old.out());
        Cli.Result plain = Cli.run("inspect", archive.toString());
        assertTrue(plain.out().contains("(--show-left-out names each)") && !plain.out().contains("/" + deleting), plain.out());
    }

    @Test
    @Order(5)
    void importAndVerifyJson() throws Exception {
        String target = servers.target().kubeconfig().toString();
        JsonNode dry = JsonOutputTest.json(Cli.run("import", archive.toString(), "--kubeconfig", target, "-i", key.identity().toString(),
                "--dry-run", "-o", "json", "-q"));
        assertEquals("dry-run", dry.path("result").asText(), dry.toString());
        assertTrue(dry.path("objects").asInt() > 10, dry.toString());
        JsonNode imported = JsonOutputTest.json(Cli.run("import", archive.toString(), "--kubeconfig", target, "-i", key.identity().toString(),
                "-o", "json", "-q"));
        assertEquals("imported", imported.path("result").asText(), imported.toString());
        assertTrue(imported.path("created").path("BareMetalHost.metal3.io").asInt() > 0, imported.toString());
        JsonNode verified = JsonOutputTest.json(Cli.run("verify", archive.toString(), "--kubeconfig", target, "-i", key.identity().toString(),
                "-o", "json"));
        assertEquals(0, verified.path("differences").size(), verified.toString());
        assertTrue(verified.path("objectsChecked").asInt() > 10 && !verified.path("secretsSkipped").asBoolean(), verified.toString());
    }

    @Test
    @Order(6)
    void releaseSourcePlanAndUnpauseJson() throws Exception {
        Path paused = servers.dir().resolve("paused.tar.gz");
        assertEquals(0, Cli.run(export(paused.toString(), "--pause", "-q")).exitCode());
        String source = servers.source().kubeconfig().toString();
        JsonNode plan = JsonOutputTest.json(Cli.run("release-source", paused.toString(), "--kubeconfig", source, "-i", key.identity().toString(),
                "--skip-verify", "-o", "json", "-q"));
        assertFalse(plan.path("executed").asBoolean(), plan.toString());
        assertTrue(plan.path("steps").size() > 0, plan.toString());
        JsonNode unpaused = JsonOutputTest.json(Cli.run("unpause", paused.toString(), "--kubeconfig", source, "-o", "json"));
        assertTrue(unpaused.path("unpaused").asInt() > 0, unpaused.toString());
        assertEquals(unpaused.path("items").size(), unpaused.path("unpaused").asInt() + unpaused.path("alreadyUnpaused").asInt()
                + unpaused.path("leftAlone").asInt() + unpaused.path("gone").asInt(), unpaused.toString());
    }
}

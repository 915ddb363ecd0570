package io.pivotctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.Json;
import io.pivotctl.crypto.IdentityFiles;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.HandMadeArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -o json} on every command with a result that needs no cluster: stdout is one JSON document (nothing else),
 * holding what the table shows. The cluster commands are in {@code CommandLineIT}.
 */
class JsonOutputTest {

    @TempDir
    Path dir;

    Path archive;

    @BeforeEach
    void oneArchive() throws Exception {
        Files.createDirectories(dir.resolve("backups"));
        archive = new HandMadeArchive().add(HandMadeArchive.yaml("""
                apiVersion: cluster.x-k8s.io/v1beta2
                kind: Cluster
                metadata: {name: prod-a, namespace: metal3, uid: u-cluster}
                """), "clusters", 0).write(dir.resolve("backups/a.tar.gz"));
    }

    @Test
    void inspect() throws Exception {
        JsonNode j = json(Cli.run("inspect", archive.toString(), "-o", "json"));
        assertEquals(1, j.path("objectsPerKind").path("Cluster.cluster.x-k8s.io").asInt(), j.toString());
        assertEquals("https://127.0.0.1:6443", j.path("source").path("server").asText());
    }

    @Test
    void validate() throws Exception {
        JsonNode j = json(Cli.run("validate", archive.toString(), "-o", "json"));
        assertTrue(j.path("valid").asBoolean(), j.toString());
        assertEquals(1, j.path("entries").asInt());
        assertEquals(0, j.path("errors").size());
        assertTrue(j.path("secretsDecrypted").isNull(), "no key given: " + j);
        assertEquals(archive.toString(), j.path("archive").asText());
    }

    @Test
    void backupsListAndPrune() throws Exception {
        JsonNode list = json(Cli.run("backups", "list", dir.resolve("backups").toString(), "-o", "json"));
        assertEquals(1, list.size(), list.toString());
        assertEquals("metal3/prod-a", list.get(0).path("clusters").get(0).asText());
        JsonNode prune = json(Cli.run("backups", "prune", dir.resolve("backups").toString(), "--keep-last", "1", "--dry-run", "-o", "json"));
        assertEquals("a.tar.gz", prune.path("kept").get(0).path("name").asText(), prune.toString());
        assertTrue(prune.path("dryRun").asBoolean());
        assertEquals(0, prune.path("deleted").size());
    }

    @Test
    void keygen() throws Exception {
        Path key = dir.resolve("ops.key");
        JsonNode written = json(Cli.run("keygen", key.toString(), "-o", "json"));
        assertEquals(IdentityFiles.read(key, w -> { }).get(0).recipient(), written.path("recipient").asText());
        assertEquals(key.toString(), written.path("file").asText());

        Cli.Result toStdout = Cli.run("keygen", "-o", "json", "-q");
        assertEquals("", toStdout.err(), "-q: no 'Public key:' line");
        JsonNode printed = json(toStdout);
        Path copy = dir.resolve("copy.key");
        Files.writeString(copy, printed.path("identity").asText());
        assertEquals(printed.path("recipient").asText(), IdentityFiles.read(copy, w -> { }).get(0).recipient(), "the identity is a whole identity file");

        JsonNode signing = json(Cli.run("keygen", "--signing", dir.resolve("sign.key").toString(), "-o", "json"));
        assertEquals(dir.resolve("sign.key.pub").toString(), signing.path("publicKey").asText());
        assertTrue(Files.exists(Path.of(signing.path("privateKey").asText())));
    }

    /** The whole of stdout parses as one JSON document. */
    static JsonNode json(Cli.Result r) throws Exception {
        assertEquals(0, r.exitCode(), r.toString());
        String out = r.out().strip();
        assertTrue(out.startsWith("{") && out.endsWith("}") || out.startsWith("[") && out.endsWith("]"), "stdout is JSON only: " + r.out());
        return Json.MAPPER.readTree(r.out());
    }
}

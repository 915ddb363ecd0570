package io.pivotctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.IdentityFiles;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.HandMadeArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The previous release's spellings keep working for one release, each with exactly one deprecation line on stderr
 * naming the new spelling; the new spellings print none. (export -v naming left-out objects needs a cluster:
 * {@code CommandLineIT}.)
 */
class DeprecatedSpellingsTest {

    @TempDir
    Path dir;

    @Test
    void keygenDashOFileStillWritesTheKey() throws Exception {
        Path key = dir.resolve("old.key");
        Cli.Result r = Cli.run("keygen", "-o", key.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("warning: 'keygen -o FILE' is deprecated and goes away in the next release: write 'keygen FILE'"
                + " (-o is the output format, table or json)"), r.err().lines().toList());
        assertEquals(IdentityFiles.read(key, w -> { }).get(0).recipient(), r.out().strip());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));

        Cli.Result signing = Cli.run("keygen", "--signing", "-o", dir.resolve("sign.key").toString());
        assertEquals(0, signing.exitCode(), signing.toString());
        assertEquals(1, deprecations(signing), signing.err());
        assertTrue(Files.readString(dir.resolve("sign.key.pub")).startsWith("-----BEGIN PUBLIC KEY-----"));
    }

    @Test
    void keygenFileIsTheNewSpellingAndDashOIsTheFormat() throws Exception {
        Cli.Result r = Cli.run("keygen", dir.resolve("new.key").toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.err(), "no deprecation line");
        assertTrue(Files.exists(dir.resolve("new.key")));
        Cli.Result json = Cli.run("keygen", "-o", "json");
        assertEquals(0, json.exitCode(), json.toString());
        assertEquals(0, deprecations(json), json.err());
        assertTrue(Files.notExists(Path.of("json")), "'-o json' is the format, not a file named json");
    }

    @Test
    void exportDashOFileStillNamesTheArchive() throws Exception {
        Path garbage = dir.resolve("garbage.kubeconfig");
        Files.writeString(garbage, "clusters: [this is: not: a kubeconfig");
        String recipient = AgeIdentity.generate().recipient();
        // the archive passes the option checks and the run goes on to the kubeconfig: the old spelling was taken as the archive
        Cli.Result old = Cli.run("export", "-o", dir.resolve("mgmt.tar.gz").toString(), "--recipient", recipient, "--kubeconfig", garbage.toString());
        assertEquals(2, old.exitCode(), old.toString());
        assertEquals(List.of("warning: 'export -o FILE' is deprecated and goes away in the next release: write 'export ARCHIVE'"
                + " (-o is the output format, table or json)", "error: invalid kubeconfig " + garbage + ": while parsing a flow sequence"),
                old.err().lines().map(l -> l.replaceFirst("(flow sequence).*", "$1")).toList());

        Cli.Result neu = Cli.run("export", dir.resolve("mgmt.tar.gz").toString(), "-o", "JSON", "--recipient", recipient, "--kubeconfig", garbage.toString());
        assertEquals(2, neu.exitCode(), neu.toString());
        assertEquals(0, deprecations(neu), "a format name is the format (any case): " + neu.err());
        assertTrue(neu.err().startsWith("error: invalid kubeconfig"), neu.err());
    }

    @Test
    void inspectDashVStillListsWhatWasLeftOut() {
        Path archive = new HandMadeArchive().add(HandMadeArchive.yaml("""
                apiVersion: cluster.x-k8s.io/v1beta2
                kind: Cluster
                metadata: {name: prod-a, namespace: metal3, uid: u-cluster}
                """), "clusters", 0).write(dir.resolve("a.tar.gz"));
        Cli.Result old = Cli.run("inspect", "-v", archive.toString());
        assertEquals(0, old.exitCode(), old.toString());
        assertEquals(List.of("warning: 'inspect -v' is deprecated and goes away in the next release: write 'inspect --show-left-out'"
                + " (-v is the API-request trace)"), old.err().lines().toList());
        assertTrue(old.out().contains("Left out by the export: nothing"), old.out());

        Cli.Result neu = Cli.run("inspect", "--show-left-out", archive.toString());
        assertEquals(0, neu.exitCode(), neu.toString());
        assertEquals("", neu.err());
        assertEquals(old.out(), neu.out(), "the same listing");
    }

    private static long deprecations(Cli.Result r) {
        return r.err().lines().filter(l -> l.contains("deprecated")).count();
    }
}

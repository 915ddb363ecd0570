package io.pivotctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.Version;
import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.IdentityFiles;
import io.pivotctl.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    @TempDir
    Path dir;

    @Test
    void versionAndHelpListTheWorkingCommands() {
        Cli.Result v = Cli.run("--version");
        assertEquals(0, v.exitCode());
        assertEquals("pivotctl " + Version.current(), v.out().strip());
        assertFalse(Version.current().equals("unknown"));
        Cli.Result h = Cli.run("--help");
        for (String cmd : List.of("keygen", "export", "inspect", "validate", "import", "verify", "completion")) {
            assertTrue(h.out().contains("  " + cmd + " "), cmd + " missing from --help");
        }
        assertTrue(h.out().contains("3  archive or preflight invalid"));
    }

    @Test
    void usageErrorsExitTwoWithOneLineAndNoStackTrace() {
        Cli.Result r = Cli.run("import");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("error: Missing required parameter"), r.err());
        Cli.Result bad = Cli.run("import", "x.tar", "--on-conflict", "maybe");
        assertEquals(2, bad.exitCode());
        assertFalse(bad.err().contains("\tat "));
    }

    @Test
    void aNegativeChunkSizeIsAUsageErrorNamingTheOption() {
        for (String cmd : List.of("export", "verify")) {
            List<String> args = cmd.equals("export")
                    ? List.of("export", dir.resolve("a.tar.gz").toString(), "--recipient", AgeIdentity.generate().recipient(), "--chunk-size", "-1")
                    : List.of("verify", dir.resolve("a.tar.gz").toString(), "--chunk-size", "-1");
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.exitCode(), r.toString());
            assertTrue(r.err().contains("--chunk-size must be 0 (no paging) or a positive number"), r.err());
            assertFalse(r.err().contains("\tat "));
        }
        assertTrue(Cli.run("import", "--help").out().contains("--chunk-size"), "import takes --chunk-size");
    }

    @Test
    void aKubeconfigPointingNowhereIsOneLineNamingTheServer() throws Exception {
        String recipient = AgeIdentity.generate().recipient();
        String template = """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "%s"}}]
                users: [{name: u, user: {token: "t"}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """;
        Path unknownHost = dir.resolve("unknown-host.kubeconfig");
        Files.writeString(unknownHost, template.formatted("https://no-such-apiserver.invalid:6443"));
        Cli.Result r = Cli.run("export", "--kubeconfig", unknownHost.toString(), dir.resolve("a.tar.gz").toString(), "--recipient", recipient);
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("error: cannot reach API server https://no-such-apiserver.invalid:6443/: unknown host (check the server address in the kubeconfig)",
                r.err().lines().filter(l -> l.startsWith("error:")).findFirst().orElse(r.err()));
        assertFalse(r.err().contains("retrying"), "a name that does not resolve is not retried");

        Path refused = dir.resolve("refused.kubeconfig");
        Files.writeString(refused, template.formatted("https://127.0.0.1:1"));
        Cli.Result q = Cli.run("export", "--kubeconfig", refused.toString(), dir.resolve("a.tar.gz").toString(), "--recipient", recipient);
        assertEquals(1, q.exitCode(), q.toString());
        assertTrue(q.err().contains("error: cannot reach API server https://127.0.0.1:1/: connection refused (is it running? check --kubeconfig/--context)"),
                q.err());
        assertTrue(q.err().contains("retrying get server version after"), "a refused connection may be a restarting server: retried, visibly");

        Path garbage = dir.resolve("garbage.kubeconfig");
        Files.writeString(garbage, "clusters: [this is: not: a kubeconfig");
        Cli.Result g = Cli.run("export", "--kubeconfig", garbage.toString(), dir.resolve("a.tar.gz").toString(), "--recipient", recipient);
        assertEquals(2, g.exitCode(), g.toString());
        assertTrue(g.err().startsWith("error: invalid kubeconfig " + garbage), g.err());
        for (Cli.Result x : List.of(r, q, g)) {
            assertFalse(x.err().contains("\tat ") || x.err().contains("Exception:"), "no stack trace: " + x.err());
            assertFalse(Files.exists(dir.resolve("a.tar.gz")));
        }
    }

    @Test
    void keygenWritesAPrivateFileRefusesToOverwriteAndPrintsTheRecipient() throws Exception {
        Path key = dir.resolve("k.txt");
        Cli.Result r = Cli.run("keygen", key.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().strip().startsWith("age1"));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
        List<AgeIdentity> ids = IdentityFiles.read(key, w -> { });
        assertEquals(r.out().strip(), ids.get(0).recipient());
        byte[] before = Files.readAllBytes(key);
        Cli.Result again = Cli.run("keygen", key.toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("refusing to overwrite"), again.err());
        assertEquals(new String(before), new String(Files.readAllBytes(key)), "file unchanged");
        Cli.Result stdout = Cli.run("keygen");
        assertTrue(stdout.out().contains("AGE-SECRET-KEY-1"));
        assertTrue(stdout.err().startsWith("Public key: age1"));
    }

    @Test
    void signingKeysAreWrittenAsPemPair() throws Exception {
        Path key = dir.resolve("sign.key");
        Cli.Result r = Cli.run("keygen", "--signing", key.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(Path.of(key + ".pub")).startsWith("-----BEGIN PUBLIC KEY-----"));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));
    }

    @Test
    void identityFileReadableByOthersIsWarnedAbout() throws Exception {
        Path key = dir.resolve("open.txt");
        Cli.run("keygen", key.toString());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        StringBuilder warnings = new StringBuilder();
        IdentityFiles.read(key, warnings::append);
        assertTrue(warnings.toString().contains("is accessible by others (mode rw-r--r--); run: chmod 600 " + key), warnings.toString());
    }

    @Test
    void completionScriptIsGenerated() {
        Cli.Result r = Cli.run("completion", "bash");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("complete -F"), r.out().substring(0, 200));
        assertTrue(r.out().contains("export"));
    }
}

package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.FaultProxy;
import io.pivotctl.testing.ImportWatch;
import io.pivotctl.testing.Sigint;
import io.pivotctl.testing.Metal3Fleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) and SIGTERM sent to a real pivotctl process (the fat jar): an import in the middle of writing
 * rolls back everything it created before the process exits, and says so; an export leaves no archive and no
 * temp file behind, whenever the signal arrives.
 */
class SignalIT {

    /**
     * Every write through the target's proxy is slowed down by the import tests; the namespace exists beforehand (so
     * no rollback removes it and every test finds it); each test starts from a target
     * without archived objects or journals: any order works.
     */
    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withCrds(CrdSet.upstreamOrFixtures())
            .withFleet(Metal3Fleet.fleet("metal3", 60)).withTargetNamespace("metal3").withProxiedTarget().withTargetResetBeforeEach();

    @TempDir
    static Path dir;

    static Path identity;
    static String recipient;
    static Path archive;

    @BeforeAll
    static void setUp() {
        recipient = servers.key().recipient();
        identity = servers.key().identity();
        archive = servers.key().exportMetal3(servers.source(), dir.resolve("a.tar.gz"));
    }

    @Test
    void sigtermDuringImportRollsBackBeforeExiting() throws Exception {
        interruptImport("TERM", 143);
    }

    @Test
    void ctrlCDuringImportRollsBackBeforeExiting() throws Exception {
        Sigint.assumeDeliverable();
        interruptImport("INT", 130);
    }

    private void interruptImport(String signal, int expectedExit) throws Exception {
        Path err = dir.resolve("import-" + signal + ".err");
        // every write is held 25 ms, so the signal lands mid-apply however fast the import is (810 objects: about 7 s)
        FaultProxy slow = servers.targetProxy().delayWrites(25);
        Process p = pivotctl(err, "import", archive.toString(), "--kubeconfig", slow.kubeconfig().toString(),
                "--identity", identity.toString(), "--concurrency", "4");
        int creates;
        try {
            creates = ImportWatch.awaitCreates(servers.home(), 30, p::isAlive);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + Files.readString(err), e);
        }
        signal(p, signal);
        assertTrue(p.waitFor(200, TimeUnit.SECONDS), "the process ends after rolling back");
        assertTrue(creates >= 30, "interrupted mid-apply");
        assertEquals(expectedExit, p.exitValue(), Files.readString(err));
        String stderr = Files.readString(err);
        assertTrue(stderr.contains("import failed: interrupted (Ctrl-C/SIGTERM); rolled back"), stderr);
        assertFalse(stderr.contains("could NOT be rolled back"), stderr);
        assertFalse(stderr.contains("Exception"), "no stack trace: " + stderr);
        assertEquals(List.of(), ImportWatch.perKind(servers.target(), "metal3").keySet().stream().toList(), "nothing of the archive is left");
        assertEquals(List.of(), journals(), "a complete rollback removes its journal");
    }

    @Test
    void aSignalDuringExportNeverLeavesAPartialArchive() throws Exception {
        // the signal lands at different moments: while connecting, while listing, once encrypting and writing began
        int interrupted = 0;
        for (String moment : List.of("connecting", "listing", "encrypting")) {
            Path out = dir.resolve("out-" + moment + ".tar.gz");
            Path err = dir.resolve("export-" + moment + ".err");
            Process p = pivotctl(err, "export", "--kubeconfig", servers.source().kubeconfig().toString(), "-n", "metal3",
                    "--recipient", recipient, "-o", out.toString());
            awaitLine(p, err, moment);
            signal(p, "TERM");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String stderr = Files.readString(err);
            if (p.exitValue() == 0) { // finished before the signal: then the archive is whole
                Cli.Result v = Cli.run("validate", out.toString(), "--identity", identity.toString());
                assertEquals(0, v.exitCode(), stderr + "\n" + v);
            } else {
                interrupted++;
                assertEquals(143, p.exitValue(), stderr);
                assertTrue(stderr.contains("error: interrupted before finishing; nothing partial was left behind"), stderr);
                assertFalse(Files.exists(out), "no archive after an export interrupted while " + moment);
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(), files.filter(f -> f.getFileName().toString().contains(".tmp-")).toList(), "no temp file left");
            }
        }
        assertTrue(interrupted >= 2, "the signals really interrupted exports: " + interrupted);
    }

    /** Waits until the process's stderr has a line starting with {@code prefix}. */
    static void awaitLine(Process p, Path stderr, String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(stderr) && Files.readAllLines(stderr).stream().anyMatch(l -> l.startsWith(prefix))) {
                return;
            }
            Thread.sleep(1);
        }
    }

    static Process pivotctl(Path stderr, String... args) throws IOException {
        return servers.process(args).redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Sends the signal with kill(1); a process that already ended is left alone. */
    static void signal(Process p, String signal) throws Exception {
        if (p.isAlive()) {
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
    }

    static List<Path> journals() {
        return ImportWatch.journals(servers.home());
    }
}

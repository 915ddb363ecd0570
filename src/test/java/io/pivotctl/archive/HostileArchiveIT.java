package io.pivotctl.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pivotctl.testing.ApiServersExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile archives against the real jar in a JVM limited to -Xmx256m: each ends in exit 3 and one line within
 * 30 s, where it used to run the heap out (a stack trace and exit 1) or compute a 4 GiB scrypt. The bombs are
 * small on disk (about 1 MB per GiB) and each would exceed the heap several times over if read naively.
 * No API server: the archive is refused before import connects to anything.
 */
class HostileArchiveIT {

    static final long TIME_LIMIT_MILLIS = 30_000;

    /** No API server: a pivotctl home of the class's own. */
    @RegisterExtension
    static final ApiServersExtension home = ApiServersExtension.none();

    @TempDir
    static Path dir;
    static Path passphraseFile;
    static Path kubeconfig;

    @BeforeAll
    static void setUp() throws IOException {
        passphraseFile = Files.createFile(dir.resolve("passphrase"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passphraseFile, new String(Bombs.PASSPHRASE) + "\n");
        // never contacted: the archive is refused first
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """);
    }

    record Run(int exit, List<String> stderr, long millis) {
    }

    static Run pivotctl(String... args) throws Exception {
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = home.process(List.of("-Xmx256m"), args).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("PIVOTCTL_PASSPHRASE");
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(2 * TIME_LIMIT_MILLIS, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            fail(String.join(" ", args) + ": still running after " + 2 * TIME_LIMIT_MILLIS + " ms");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new Run(p.exitValue(), Files.readAllLines(err, StandardCharsets.UTF_8), millis);
    }

    /** Exit 3, exactly one line on stderr (the message), within the time limit. */
    static void refused(String expected, String... args) throws Exception {
        refusedMatching(java.util.regex.Pattern.quote(expected), args);
    }

    static void refusedMatching(String regex, String... args) throws Exception {
        Run r = pivotctl(args);
        String what = String.join(" ", args) + " -> " + r;
        assertEquals(3, r.exit(), what);
        assertEquals(1, r.stderr().size(), what);
        assertTrue(r.stderr().get(0).matches("error: " + regex), what);
        assertTrue(r.millis() < TIME_LIMIT_MILLIS, what);
    }

    @Test
    void aGibibyteGnuLongNameIsExitThree() throws Exception {
        Path bomb = Bombs.longName(dir, Bombs.GIB);
        assertTrue(Files.size(bomb) < 2 * Bombs.MIB, "small on disk: " + Files.size(bomb));
        String msg = "archive has a GNU long name header of 1073741824 bytes, over the limit of 65536 bytes";
        refused(msg, "validate", bomb.toString());
        refused(msg, "inspect", bomb.toString());
        refused(msg, "import", "-q", bomb.toString(), "--kubeconfig", kubeconfig.toString(), "--passphrase-file", passphraseFile.toString());
    }

    @Test
    void aGibibytePaxHeaderIsExitThree() throws Exception {
        Path bomb = Bombs.pax(dir, Bombs.GIB);
        assertTrue(Files.size(bomb) < 2 * Bombs.MIB, "small on disk: " + Files.size(bomb));
        String msg = "archive has a PAX header of 1073741824 bytes, over the limit of 65536 bytes";
        refused(msg, "validate", bomb.toString());
        refused(msg, "import", "-q", bomb.toString(), "--kubeconfig", kubeconfig.toString(), "--passphrase-file", passphraseFile.toString());
    }

    @Test
    void gzipBombsStopAtTheDecompressedAndTheHeldLimits() throws Exception {
        Path skipped = Bombs.skipped(dir, 3 * Bombs.GIB / 2);
        assertTrue(Files.size(skipped) < 3 * Bombs.MIB, "small on disk: " + Files.size(skipped));
        String stream = "archive content exceeds the limit of " + ArchiveLimits.DEFAULT.maxStreamBytes() + " bytes once decompressed";
        refused(stream, "validate", skipped.toString());
        refused(stream, "inspect", skipped.toString());

        Path held = Bombs.held(dir, 40, 30 * Bombs.MIB);
        assertTrue(Files.size(held) < 3 * Bombs.MIB, "small on disk: " + Files.size(held));
        // entries before the manifest cannot be checked yet and are held as read: at -Xmx256m half the heap is the
        // 128 MiB total, which binds
        refused("what the archive needs held in memory exceeds the limit of 134217728 bytes", "validate", held.toString());
    }

    @Test
    void anScryptWorkFactorOf22IsExitThreeWithoutRunningIt() throws Exception {
        Path archive = Bombs.scrypt(dir, 22);
        String msg = "refusing to decrypt the archive identity (keys/archive-identity.age): scrypt work factor 22 is over pivotctl's limit of 20"
                + " (export writes 18)";
        refused(msg, "validate", archive.toString(), "--passphrase-file", passphraseFile.toString());
        refused(msg, "import", "-q", archive.toString(), "--kubeconfig", kubeconfig.toString(), "--passphrase-file", passphraseFile.toString());
    }
}

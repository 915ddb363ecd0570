package io.pivotctl.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.crypto.ManifestSigner;
import io.pivotctl.testing.ApiServersExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile archives against the real jar in a JVM limited to -Xmx256m: each ends in exit 3 and one line, where it used
 * to run the heap out (a stack trace and exit 1) or compute a 4 GiB scrypt. The bombs are small on disk (about 1 MB
 * per GiB) and each would exceed the heap several times over if read naively. No API server: the archive is refused
 * before import connects to anything. How long a refusal takes is measured by scripts/bench.sh, not asserted here (the
 * machine may be busy); a run that never ends fails after {@link #HANG_MILLIS}.
 */
class HostileArchiveIT {

    /** Not a time limit: a refusal takes seconds; this only stops a run that hangs. */
    static final long HANG_MILLIS = 300_000;

    /** No API server: a pivotctl home of the class's own. */
    @RegisterExtension
    static final ApiServersExtension home = ApiServersExtension.none();

    @TempDir
    static Path dir;
    static Path passphraseFile;
    static Path kubeconfig;
    /** The public half of a signing key none of the bombs was signed with. */
    static Path verifyKey;

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
        verifyKey = dir.resolve("signing.pub");
        Files.writeString(verifyKey, ManifestSigner.publicPem(ManifestSigner.generate().getPublic()));
    }

    /** One run of the jar: its exit code, stdout and stderr, and how long it took (reported, never asserted). */
    record Run(int exit, List<String> stdout, List<String> stderr, long millis) {
    }

    static Run pivotctl(String... args) throws Exception {
        return pivotctl(Map.of(), args);
    }

    static Run pivotctl(Map<String, String> env, String... args) throws Exception {
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        ProcessBuilder pb = home.process(List.of("-Xmx256m"), args).redirectError(err.toFile()).redirectOutput(out.toFile());
        pb.environment().remove("PIVOTCTL_PASSPHRASE");
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(HANG_MILLIS, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            fail(String.join(" ", args) + ": still running after " + HANG_MILLIS + " ms");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new Run(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), Files.readAllLines(err, StandardCharsets.UTF_8), millis);
    }

    /** Exit 3 and exactly one line on stderr (the message): no stack trace, no OutOfMemoryError. */
    static void refused(String expected, String... args) throws Exception {
        refusedMatching(java.util.regex.Pattern.quote(expected), args);
    }

    static void refusedMatching(String regex, String... args) throws Exception {
        Run r = pivotctl(args);
        String what = String.join(" ", args) + " -> " + r;
        assertEquals(3, r.exit(), what);
        assertEquals(1, r.stderr().size(), what);
        assertTrue(r.stderr().get(0).matches("error: " + regex), what);
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

    @Test
    void eightMillionEmptyManifestEntriesAreExitThree() throws Exception {
        Path bomb = Bombs.manyEmptyEntries(dir, 8_000_000);
        assertTrue(Files.size(bomb) < 30 << 10, "23 KB on disk: " + Files.size(bomb));
        String msg = "manifest.json has more than 250000 elements in 'entries' (the limit of entries in an archive)";
        refused(msg, "validate", bomb.toString());
        refused(msg, "inspect", bomb.toString());
        // the signature is checked before the manifest is parsed: the bomb is never parsed
        refused("archive is not signed (no manifest.json.sig) but a verify key was given", "import", "-q", bomb.toString(),
                "--kubeconfig", kubeconfig.toString(), "--require-signature", "--verify-key", verifyKey.toString());
    }

    @Test
    void aManifestPaddedWithThreeHundredMegabytesOfSpacesIsExitThree() throws Exception {
        Path bomb = Bombs.paddedManifest(dir, 300 * Bombs.MIB);
        assertTrue(Files.size(bomb) < 400 << 10, "about 300 KB on disk: " + Files.size(bomb));
        // a 1.0-style signature (of the bytes) is verified as the 300 MB stream past, never held
        String signature = "manifest signature (ed25519) does not verify with the given key: the archive was changed or signed by another key";
        refused(signature, "validate", bomb.toString(), "--verify-key", verifyKey.toString());
        refused(signature, "import", "-q", bomb.toString(), "--kubeconfig", kubeconfig.toString(), "--require-signature",
                "--verify-key", verifyKey.toString());
        // without a key the manifest is parsed as it streams (spaces are JSON); the format it claims needs a summary first
        refused("archive of format 1.1 has no summary.json before its manifest: it was changed or not written by pivotctl", "validate", bomb.toString());
    }

    @Test
    void twoThousandUnlistedSixtyKilobyteNamesAreExitThree() throws Exception {
        Path bomb = Bombs.unlistedLongNames(dir, 2_100, 60_000);
        assertTrue(Files.size(bomb) < 400 << 10, "about 320 KB on disk: " + Files.size(bomb));
        // the name is cut in the message: one line of a bounded length, not 60 KB
        String msg = "archive has an entry name of 60005 characters, over the format's limit of 4096: 'objects/a{150,200}.*'";
        refusedMatching(msg, "validate", bomb.toString());
        refusedMatching(msg, "import", "-q", bomb.toString(), "--kubeconfig", kubeconfig.toString(), "--passphrase-file", passphraseFile.toString());
        Run r = pivotctl("validate", bomb.toString());
        assertTrue(r.stderr().get(0).length() < 400, "a bounded line: " + r.stderr().get(0).length());
    }

    @Test
    void aSummaryThatContradictsItsManifestIsExitThree() throws Exception {
        Path archive = contradictingSummary(dir.resolve("contradicting-summary.tar"));
        String msg = "summary.json contradicts the archive (contents.hosts, contents.objectsPerKind): it was changed or damaged; nothing else was read";
        refused(msg, "validate", archive.toString());
        refused(msg, "import", "-q", archive.toString(), "--kubeconfig", kubeconfig.toString(), "--passphrase-file", passphraseFile.toString());
    }

    /** A format 1.1 archive whose summary claims 5,000 hosts where its manifest lists one. */
    static Path contradictingSummary(Path file) throws IOException {
        ArchiveContents good = TestArchives.contents(dir);
        ObjectNode summary = (ObjectNode) Json.MAPPER.readTree(good.entry(EntryPaths.SUMMARY).orElseThrow());
        ((ObjectNode) summary.get("contents")).put("hosts", 5000);
        ((ObjectNode) summary.get("contents").get("objectsPerKind")).put("BareMetalHost.metal3.io", 5000);
        return TestArchives.rewrite(file, good, Map.of(EntryPaths.SUMMARY, Json.MAPPER.writeValueAsBytes(summary)));
    }

    @Test
    void backupsListAndPruneOfAFolderOfBombsShowTheGoodArchiveAndNameTheOthers() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("backups"));
        TestArchives.write(folder.resolve("good.tar.gz"));
        Files.move(Bombs.manyEmptyEntries(dir, 8_000_000), folder.resolve("empty-entries.tar.gz"));
        Files.move(Bombs.paddedManifest(dir, 300 * Bombs.MIB), folder.resolve("padded-manifest.tar.gz"));
        Files.move(Bombs.unlistedLongNames(dir, 2_100, 60_000), folder.resolve("long-names.tar.gz"));

        Run list = pivotctl("backups", "list", folder.toString());
        assertEquals(0, list.exit(), list.toString());
        assertEquals(List.of(), list.stderr(), list.toString());
        String out = String.join("\n", list.stdout());
        assertTrue(out.contains(TestArchives.ARCHIVE_ID) && out.contains("good.tar.gz"), out);
        for (String bomb : List.of("empty-entries.tar.gz", "padded-manifest.tar.gz", "long-names.tar.gz")) {
            assertTrue(list.stdout().stream().anyMatch(l -> l.contains("(not an archive)") && l.contains(bomb + ": ")), bomb + " named in\n" + out);
        }
        assertTrue(out.contains("1 archive(s), 3 other object(s) in " + folder), out);

        Path metrics = dir.resolve("prune.prom");
        Run prune = pivotctl("backups", "prune", folder.toString(), "--keep-last", "1", "--metrics-file", metrics.toString());
        assertEquals(0, prune.exit(), prune.toString());
        assertTrue(Files.exists(folder.resolve("good.tar.gz")), "the newest archive is kept");
        for (String bomb : List.of("empty-entries.tar.gz", "padded-manifest.tar.gz", "long-names.tar.gz")) {
            assertTrue(Files.exists(folder.resolve(bomb)), "what is not an archive is left alone: " + bomb);
            assertTrue(prune.stdout().stream().anyMatch(l -> l.startsWith("ignore  " + bomb + ": ")), bomb + " named with its reason in " + prune);
        }
        assertTrue(Files.readString(metrics).contains("pivotctl_last_run_success{command=\"backups_prune\"} 1"), Files.readString(metrics));
    }

    @Test
    void pruneWhoseListingFailsWritesSuccessZero() throws Exception {
        Path metrics = dir.resolve("failed-prune.prom");
        // an object store that refuses connections: the listing itself fails
        Map<String, String> unreachable = Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_REGION", "us-east-1");
        Run r = pivotctl(unreachable, "backups", "prune", "s3://backups/site-a/", "--keep-last", "1", "--metrics-file", metrics.toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals(1, r.stderr().size(), r.toString());
        assertTrue(r.stderr().get(0).startsWith("error: cannot list s3://backups/site-a/: "), r.toString());
        String written = Files.readString(metrics);
        assertTrue(written.contains("pivotctl_last_run_success{command=\"backups_prune\"} 0"), written);
        assertTrue(written.contains("pivotctl_last_success_timestamp_seconds{command=\"backups_prune\"} 0"), written);
    }
}

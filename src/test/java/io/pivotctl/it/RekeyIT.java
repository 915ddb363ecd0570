package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.Json;
import io.pivotctl.archive.ArchiveContents;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ArchiveReader;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.ManifestCodec;
import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.PassphraseSealer;
import io.pivotctl.crypto.SealingKeys;
import io.pivotctl.rekey.RekeyFixture;
import io.pivotctl.storage.ArchiveStore;
import io.pivotctl.testing.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * pivotctl rekey and backups rekey in the real jar, on a file and on S3 (S3Proxy): the old identity opens no Secret of
 * a rekeyed archive and the new one opens every one, checked by pivotctl's validate and by the stock age CLI; every
 * other entry keeps its bytes; a backups rekey killed (SIGKILL) after its first replacement and run again leaves every
 * archive rekeyed once and nothing partial. No Secret value or private key in any output.
 */
class RekeyIT {

    static final String BUCKET = "backups";
    static S3Server s3;
    @TempDir
    static Path dir;
    static Path home;
    static AgeIdentity oldId;
    static AgeIdentity newId;
    static final List<String> outputs = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Server.start();
        s3.createBucket(BUCKET);
        home = Files.createDirectory(dir.resolve("home"));
        oldId = RekeyFixture.identity(dir, "old.txt");
        newId = RekeyFixture.identity(dir, "new.txt");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        String all = String.join("\n", outputs);
        for (String v : RekeyFixture.SECRET_VALUES) {
            assertFalse(v.length() > 3 && all.contains(v), "a Secret value was printed");
        }
        assertFalse(all.contains("AGE-SECRET-KEY") || all.contains(S3Server.CREDENTIAL), "a private key or credential was printed");
    }

    record Run(int exit, String out, String err) {
    }

    static ProcessBuilder jar(String... args) {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", System.getProperty("pivotctl.jar", "target/pivotctl.jar")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PIVOTCTL_HOME", home.toString());
        pb.environment().put("AWS_ENDPOINT_URL", s3.endpoint().toString());
        pb.environment().put("AWS_ACCESS_KEY_ID", S3Server.IDENTITY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", S3Server.CREDENTIAL);
        pb.environment().put("AWS_REGION", "us-east-1");
        return pb;
    }

    static Run run(String... args) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = jar(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "pivotctl " + String.join(" ", args) + " did not end");
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        outputs.add(r.out() + r.err());
        return r;
    }

    static Path archive(String name) {
        Path f = dir.resolve(name);
        RekeyFixture.write(f, SealingKeys.prepare(List.of(oldId.recipient()), null, PassphraseSealer.DEFAULT_LOG_N), Optional.empty());
        return f;
    }

    static void put(Path file, String key) {
        try (S3Client c = s3.client()) {
            c.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromFile(file));
        }
    }

    static Path get(String key) throws IOException {
        Path f = Files.createTempFile(dir, "got", key.endsWith(".tar.gz") ? ".tar.gz" : ".tar");
        try (S3Client c = s3.client()) {
            Files.write(f, c.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray());
        }
        return f;
    }

    /** Each Secret opened by the new identity with the stock age CLI and refused with the old one; every other entry as it was. */
    static void assertRekeyed(Path before, Path after) throws Exception {
        ArchiveContents a = ArchiveReader.read(before, ArchiveLimits.DEFAULT);
        ArchiveContents b = ArchiveReader.read(after, ArchiveLimits.DEFAULT);
        assertEquals(a.entries().keySet(), b.entries().keySet());
        int secrets = 0;
        for (String path : b.entries().keySet()) {
            if (path.startsWith("secrets/")) {
                secrets++;
                Path sealed = Files.write(Files.createTempFile(dir, "secret", ".age"), b.entries().get(path));
                Process opened = new ProcessBuilder("age", "-d", "-i", dir.resolve("new.txt").toString(), sealed.toString()).start();
                String yaml = new String(opened.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, opened.waitFor(), "age -d -i new.txt " + path + ": " + new String(opened.getErrorStream().readAllBytes()));
                assertTrue(yaml.contains("kind: \"Secret\"") || yaml.contains("kind: Secret"), path + " did not decrypt to a Secret");
                Process refused = new ProcessBuilder("age", "-d", "-i", dir.resolve("old.txt").toString(), sealed.toString())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                assertTrue(refused.waitFor() != 0, "age -d -i old.txt still opens " + path);
            } else if (!path.equals(EntryPaths.SUMMARY)) {
                assertArrayEquals(a.entries().get(path), b.entries().get(path), path + " changed");
            }
        }
        assertEquals(2, secrets);
        assertEquals(1, ManifestCodec.parse(b.manifestBytes()).rekeyHistory().size());
        Process tar = new ProcessBuilder("tar", "-tf", after.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, tar.waitFor(), "GNU tar cannot list the rekeyed archive");
    }

    static void assertOpenedOnlyByTheNewIdentity(String archive) throws Exception {
        Run withNew = run("validate", archive, "--identity", dir.resolve("new.txt").toString(), "-o", "json");
        assertEquals(0, withNew.exit(), withNew.toString());
        assertEquals(2, Json.MAPPER.readTree(withNew.out()).path("secretsDecrypted").asInt());
        Run withOld = run("validate", archive, "--identity", dir.resolve("old.txt").toString());
        assertEquals(3, withOld.exit(), "the old identity still opens " + archive + ": " + withOld);
    }

    @Test
    void aFileIsRekeyedForTheNewIdentityOnly() throws Exception {
        Path in = archive("site.tar.gz");
        Path out = dir.resolve("site-rekeyed.tar.gz");
        Run r = run("rekey", in.toString(), out.toString(), "--identity", dir.resolve("old.txt").toString(), "--recipient", newId.recipient(), "-o", "json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode result = Json.MAPPER.readTree(r.out());
        assertEquals(2, result.path("secretsRekeyed").asInt());
        assertEquals(newId.recipient(), result.path("to").path(0).asText());
        assertEquals(oldId.recipient(), result.path("from").path(0).asText());
        assertOpenedOnlyByTheNewIdentity(out.toString());
        assertRekeyed(in, out);

        // one identity file holding both keys opens both archives: diff compares every Secret by its decrypted content
        Path both = dir.resolve("both.txt");
        Files.deleteIfExists(both);
        Files.createFile(both, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(both, Files.readString(dir.resolve("old.txt")) + Files.readString(dir.resolve("new.txt")));
        Run diff = run("diff", in.toString(), out.toString(), "--identity", both.toString());
        assertEquals(0, diff.exit(), "the rekeyed archive holds what the original held: " + diff);

        Run again = run("rekey", in.toString(), out.toString(), "--identity", dir.resolve("old.txt").toString(), "--recipient", newId.recipient());
        assertEquals(2, again.exit(), "an existing OUT is refused: " + again);
        Run noKey = run("rekey", in.toString(), dir.resolve("x.tar.gz").toString(), "--identity", dir.resolve("old.txt").toString());
        assertEquals(2, noKey.exit(), noKey.toString());
        assertTrue(noKey.err().contains("--recipient"), noKey.err());
    }

    @Test
    void anS3ObjectIsRekeyedIntoAnotherObject() throws Exception {
        Path in = archive("s3-source.tar.gz");
        put(in, "one/source.tar.gz");
        Run r = run("rekey", "s3://" + BUCKET + "/one/source.tar.gz", "s3://" + BUCKET + "/one/rekeyed.tar.gz", "--identity",
                dir.resolve("old.txt").toString(), "--recipient", newId.recipient());
        assertEquals(0, r.exit(), r.toString());
        assertOpenedOnlyByTheNewIdentity("s3://" + BUCKET + "/one/rekeyed.tar.gz");
        assertRekeyed(in, get("one/rekeyed.tar.gz"));
    }

    @Test
    void backupsRekeyKilledAfterItsFirstReplacementAndRunAgainLeavesThreeRekeyedArchivesAndNothingPartial() throws Exception {
        List<String> names = List.of("nightly/pivot-1.tar.gz", "nightly/pivot-2.tar.gz", "nightly/pivot-3.tar.gz");
        List<Path> originals = new ArrayList<>();
        for (String name : names) {
            Path f = archive(name.replace('/', '-'));
            originals.add(f);
            put(f, name);
        }
        String[] args = {"backups", "rekey", "s3://" + BUCKET + "/nightly/", "--identity", dir.resolve("old.txt").toString(), "--recipient", newId.recipient()};
        Path err = dir.resolve("killed.err");
        Process p = jar(args).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (p.isAlive() && System.nanoTime() < deadline && !Files.readString(err).contains("replaced ")) {
            Thread.sleep(10);
        }
        assertTrue(p.isAlive(), "still running after its first replacement: " + Files.readString(err));
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs, whatever was under way is left as it was
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        outputs.add(Files.readString(err));
        int rekeyedBeforeTheKill = 0;
        for (String name : names) {
            Run old = run("validate", "s3://" + BUCKET + "/" + name, "--identity", dir.resolve("old.txt").toString());
            Run fresh = run("validate", "s3://" + BUCKET + "/" + name, "--identity", dir.resolve("new.txt").toString());
            assertTrue(old.exit() == 0 ^ fresh.exit() == 0, name + " is not a whole archive, old or new: " + old + fresh);
            rekeyedBeforeTheKill += fresh.exit() == 0 ? 1 : 0;
        }
        assertTrue(rekeyedBeforeTheKill >= 1 && rekeyedBeforeTheKill < 3, rekeyedBeforeTheKill + " archives were rekeyed before the kill");

        Run again = run(io.pivotctl.testing.Cli.concat(args, "-o", "json"));
        assertEquals(0, again.exit(), again.toString());
        List<String> statuses = new ArrayList<>();
        Json.MAPPER.readTree(again.out()).forEach(row -> statuses.add(row.path("status").asText()));
        assertEquals(rekeyedBeforeTheKill, statuses.stream().filter("skipped"::equals).count(), again.out());
        assertEquals(3 - rekeyedBeforeTheKill, statuses.stream().filter("rekeyed"::equals).count(), again.out());
        for (int i = 0; i < names.size(); i++) {
            assertOpenedOnlyByTheNewIdentity("s3://" + BUCKET + "/" + names.get(i));
            assertRekeyed(originals.get(i), get(names.get(i)));
        }
        assertEquals(names, s3.objects(BUCKET).stream().map(o -> o.key()).filter(k -> k.startsWith("nightly/")).sorted().toList(),
                "something is left beside the archives (" + ArchiveStore.STAGING + ")");
        assertEquals(0, s3.incompleteUploads(BUCKET), "an unfinished upload was left");
    }
}

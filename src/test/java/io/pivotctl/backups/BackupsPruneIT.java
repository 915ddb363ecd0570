package io.pivotctl.backups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.Json;
import io.pivotctl.archive.Manifest;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.HandMadeArchive;
import io.pivotctl.testing.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * {@code backups prune} on a real S3 server (S3Proxy, signatures checked) where a prefix is shared the way real sites
 * share one: two management clusters' schedules, an archive whose creation time lies, and uploads of other tools.
 * No apiserver: the archives are written by pivotctl's own writer with the manifests each case needs.
 */
class BackupsPruneIT {

    @TempDir
    static Path dir;

    static S3Server s3;
    static final String BUCKET = "shared-backups";
    static final String PROD_A = "6f0e7d3c-0b8a-4c1e-9d2f-000000000a0a";
    static final String PROD_B = "6f0e7d3c-0b8a-4c1e-9d2f-000000000b0b";
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    static void setUp() throws Exception {
        s3 = S3Server.start().useForCli();
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void tearDown() throws Exception {
        s3.close();
    }

    /** A small archive from {@code clusterId} (selection: namespace metal3), created {@code createdAt}, stored under {@code key}. */
    static void upload(String key, String clusterId, Instant createdAt) {
        Path file = dir.resolve(key.replace('/', '_'));
        new HandMadeArchive().createdAt(createdAt.toString()).from(clusterId, new Manifest.Selection(List.of("metal3"), false, List.of()))
                .add(HandMadeArchive.yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: site-inventory, namespace: metal3, uid: u-" + key.hashCode()
                        + "}\ndata: {count: \"012\"}\n"), "configmaps", 0)
                .write(file);
        try (S3Client c = s3.client()) {
            c.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(file));
        }
    }

    static Set<String> keys(String prefix) {
        return s3.objects(BUCKET).stream().map(o -> o.key()).filter(k -> k.startsWith(prefix)).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void twoSourcesInOnePrefixEachKeepTheirNewest() throws Exception {
        // two daily schedules writing to one prefix: prod-a at 01:00, prod-b at 13:00, three days each
        for (int day = 1; day <= 3; day++) {
            upload("two/prod-a-" + day + ".tar.gz", PROD_A, NOW.minus(Duration.ofDays(day)).minus(Duration.ofHours(1)));
            upload("two/prod-b-" + day + ".tar.gz", PROD_B, NOW.minus(Duration.ofDays(day)).minus(Duration.ofHours(13)));
        }
        Cli.Result list = Cli.run("backups", "list", "s3://" + BUCKET + "/two/", "-o", "json");
        assertEquals(0, list.exitCode(), list.toString());
        Set<String> groups = new TreeSet<>();
        for (JsonNode row : Json.MAPPER.readTree(list.out())) {
            groups.add(row.path("group").asText());
        }
        assertEquals(2, groups.size(), "one group per source and selection: " + list.out());
        assertTrue(groups.stream().allMatch(g -> g.contains("-n metal3")), groups.toString());
        Cli.Result table = Cli.run("backups", "list", "s3://" + BUCKET + "/two/");
        assertTrue(table.out().contains("group: source " + PROD_A + " -n metal3"), table.out());

        Cli.Result r = Cli.run("backups", "prune", "s3://" + BUCKET + "/two/", "--keep-daily", "2");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(Set.of("two/prod-a-1.tar.gz", "two/prod-a-2.tar.gz", "two/prod-b-1.tar.gz", "two/prod-b-2.tar.gz"), keys("two/"),
                "each source keeps its own two days:\n" + r.out());

        Cli.Result pooled = Cli.run("backups", "prune", "s3://" + BUCKET + "/two/", "--keep-last", "1", "--group-by", "none", "--dry-run");
        assertEquals(0, pooled.exitCode(), pooled.toString());
        assertEquals(3, pooled.out().lines().filter(l -> l.startsWith("would delete")).count(), "--group-by none pools them:\n" + pooled.out());
        Cli.Result bad = Cli.run("backups", "prune", "s3://" + BUCKET + "/two/", "--keep-last", "1", "--group-by", "host");
        assertEquals(2, bad.exitCode(), bad.toString());
    }

    @Test
    void aFutureDatedArchiveDeletesNothingReal() throws Exception {
        upload("skew/backup-1.tar.gz", PROD_A, NOW.minus(Duration.ofHours(3)));
        upload("skew/backup-2.tar.gz", PROD_A, NOW.minus(Duration.ofHours(2)));
        upload("skew/backup-3.tar.gz", PROD_A, NOW.minus(Duration.ofHours(1)));
        upload("skew/backup-2099.tar.gz", PROD_A, Instant.parse("2099-01-01T00:00:00Z")); // a skewed clock, or a hand-edited manifest

        Cli.Result list = Cli.run("backups", "list", "s3://" + BUCKET + "/skew/");
        assertTrue(list.out().lines().anyMatch(l -> l.contains("(future-dated)") && l.contains("2099-01-01")), list.out());
        assertTrue(list.out().indexOf("backup-3.tar.gz") < list.out().indexOf("backup-2099.tar.gz"), "never listed as the newest:\n" + list.out());

        Cli.Result r = Cli.run("backups", "prune", "s3://" + BUCKET + "/skew/", "--keep-last", "1");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(Set.of("skew/backup-3.tar.gz", "skew/backup-2099.tar.gz"), keys("skew/"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("keep") && l.contains("backup-3.tar.gz") && l.contains("newest archive")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("keep") && l.contains("backup-2099.tar.gz") && l.contains("future-dated")), r.out());
    }

    @Test
    void aFutureDatedFileInADirectoryIsNamedAndKept() throws Exception {
        Path local = Files.createDirectories(dir.resolve("local"));
        for (String name : List.of("a.tar.gz", "b.tar.gz", "c.tar.gz")) {
            Instant created = name.equals("c.tar.gz") ? Instant.parse("2099-06-01T00:00:00Z") : NOW.minus(Duration.ofHours(name.equals("a.tar.gz") ? 2 : 1));
            new HandMadeArchive().createdAt(created.toString()).add(HandMadeArchive.yaml("apiVersion: v1\nkind: ConfigMap\n"
                    + "metadata: {name: x, namespace: metal3, uid: u1}\n"), "configmaps", 0).write(local.resolve(name));
            // the file's mtime is what the filesystem proves: written now (c.tar.gz's claim of 2099 is not)
            Files.setLastModifiedTime(local.resolve(name), FileTime.from(NOW.minus(Duration.ofMinutes(name.equals("a.tar.gz") ? 90 : 30))));
        }
        Cli.Result r = Cli.run("backups", "prune", local.toString(), "--keep-last", "1");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of("b.tar.gz", "c.tar.gz"), Files.list(local).map(f -> f.getFileName().toString()).sorted().toList(), r.out());
    }

    @Test
    void aForeignIncompleteUploadIsNotAborted() throws Exception {
        upload("backup-0.tar.gz", PROD_A, NOW.minus(Duration.ofHours(1)));
        try (S3Client c = s3.client()) {
            for (String key : List.of("backup-killed.tar.gz", "other-tool/dump.tar.gz", "other-tool/deep/x.tgz", "video.mp4")) {
                String id = c.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
                c.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(id).partNumber(1), RequestBody.fromString("partial"));
            }
        }
        // the whole bucket is the location: only a pivotctl-looking upload directly under it is ours to abort
        Cli.Result r = Cli.run("backups", "prune", "s3://" + BUCKET + "/", "--keep-last", "5", "--abort-uploads-older-than", "0s");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("aborted incomplete upload backup-killed.tar.gz"), r.out());
        try (S3Client c = s3.client()) {
            Set<String> left = c.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().stream().map(MultipartUpload::key)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of("other-tool/dump.tar.gz", "other-tool/deep/x.tgz", "video.mp4"), left, r.out());
        }
    }
}

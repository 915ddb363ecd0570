package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.Json;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.S3Server;
import io.pivotctl.testing.SlowRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Backups in object storage, end to end: two real apiservers and a real S3 server (S3Proxy, signatures checked).
 * Export to s3://, then list, inspect, validate, import and verify from s3://; upload faults; a real prune.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObjectStorageIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withCrds(CrdSet.upstream())
            .withFleet(Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("prod-a", 1, 2)), 1));

    @TempDir
    static Path dir;

    static S3Server s3;
    static Path identity;
    static String recipient;
    static String source;
    static final String BUCKET = "dr-backups";
    static final String ARCHIVE = "s3://" + BUCKET + "/mgmt/pivot-001.tar.gz";

    @BeforeAll
    static void setUp() throws Exception {
        s3 = S3Server.start().useForCli();
        s3.createBucket(BUCKET);
        recipient = servers.key().recipient();
        identity = servers.key().identity();
        source = servers.source().kubeconfig().toString();
    }

    @AfterAll
    static void tearDown() throws Exception {
        s3.close();
    }

    @Test
    @Order(1)
    void exportStreamsToObjectStorageAndWritesMetrics() throws Exception {
        Path prom = dir.resolve("pivotctl.prom");
        Cli.Result r = Cli.run("export", "--kubeconfig", source, "-n", "metal3", "-o", ARCHIVE, "--recipient", recipient,
                "--metrics-file", prom.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("Wrote " + ARCHIVE), r.out());
        long size = s3.objects(BUCKET).stream().filter(o -> o.key().equals("mgmt/pivot-001.tar.gz")).findFirst().orElseThrow().size();
        String metrics = Files.readString(prom);
        assertTrue(metrics.contains("pivotctl_last_run_success{command=\"export\"} 1\n"), metrics);
        assertTrue(metrics.contains("pivotctl_last_run_bytes{command=\"export\"} " + size + "\n"), metrics);
        assertTrue(metrics.matches("(?s).*pivotctl_last_run_secrets\\{command=\"export\"} [1-9]\\d*\n.*"), metrics);
        assertNoCredentials(r);
    }

    @Test
    @Order(2)
    void listAndInspectReadTheManifestOnly() throws Exception {
        try (S3Client c = s3.client()) {
            c.putObject(b -> b.bucket(BUCKET).key("mgmt/README.txt"), RequestBody.fromString("not an archive"));
        }
        Cli.Result list = Cli.run("backups", "list", "s3://" + BUCKET + "/mgmt/", "-o", "json");
        assertEquals(0, list.exitCode(), list.toString());
        JsonNode rows = Json.MAPPER.readTree(list.out());
        assertEquals(2, rows.size(), list.out());
        JsonNode archive = rows.get(0);
        assertEquals("pivot-001.tar.gz", archive.path("name").asText());
        assertEquals(List.of("metal3/prod-a"), List.of(archive.path("clusters").get(0).asText()));
        assertEquals(4, archive.path("hosts").asInt(), "1 control plane + 2 workers + 1 spare: " + archive);
        assertFalse(archive.path("signed").asBoolean());
        assertEquals(1, archive.path("recipients").size());
        assertTrue(archive.path("recipients").get(0).asText().contains(recipient));
        assertEquals("README.txt", rows.get(1).path("name").asText());
        assertTrue(rows.get(1).path("problem").asText().startsWith("not a pivotctl archive"), rows.get(1).toString());

        Cli.Result table = Cli.run("backups", "list", "s3://" + BUCKET + "/mgmt/");
        assertTrue(table.out().contains("(not an archive)") && table.out().contains("1 archive(s), 1 other object(s)"), table.out());

        Cli.Result inspect = Cli.run("inspect", ARCHIVE);
        assertEquals(0, inspect.exitCode(), inspect.toString());
        assertTrue(inspect.out().contains("summary only"), inspect.out());
        assertTrue(inspect.out().contains("Hosts:       4 BareMetalHost(s): "), "hosts per state from summary.json: " + inspect.out());
        assertTrue(inspect.out().contains("BareMetalHost.metal3.io"), inspect.out());
        Cli.Result full = Cli.run("inspect", ARCHIVE, "--full");
        assertEquals(0, full.exitCode(), full.toString());
        assertTrue(full.out().contains("Cluster metal3/prod-a"), full.out());
    }

    @Test
    @Order(3)
    void validateImportAndVerifyFromObjectStorage() {
        Cli.Result v = Cli.run("validate", ARCHIVE, "--identity", identity.toString());
        assertEquals(0, v.exitCode(), v.toString());
        assertTrue(v.out().contains(ARCHIVE + ": valid"), v.out());
        String target = servers.target().kubeconfig().toString();
        Cli.Result plan = Cli.run("import", ARCHIVE, "--kubeconfig", target, "--identity", identity.toString(), "--cluster", "prod-a", "--dry-run");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("\n  Cluster.cluster.x-k8s.io metal3/prod-a\n") && plan.out().contains("Already there: 0 object(s)"), plan.out());
        assertTrue(!plan.out().contains("spare-0"), "the spare host is not prod-a's: " + plan.out());
        Cli.Result i = Cli.run("import", ARCHIVE, "--kubeconfig", target, "--identity", identity.toString());
        assertEquals(0, i.exitCode(), i.toString());
        assertEquals(4, servers.target().client().genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace("metal3")
                .list().getItems().size());
        Cli.Result eq = Cli.run("verify", ARCHIVE, "--kubeconfig", target, "--identity", identity.toString());
        assertEquals(0, eq.exitCode(), eq.toString());
        assertTrue(eq.out().startsWith("EQUAL"), eq.out());
        Cli.Result part = Cli.run("verify", ARCHIVE, "--kubeconfig", target, "--identity", identity.toString(), "--cluster", "prod-a");
        assertEquals(0, part.exitCode(), part.toString());
        Cli.Result same = Cli.run("diff", ARCHIVE, ARCHIVE, "--identity", identity.toString());
        assertEquals(0, same.exitCode(), same.toString());
        assertTrue(same.out().startsWith("EQUAL"), same.out());
    }

    @Test
    @Order(4)
    void wrongCredentialsAndAMissingBucketFailInOneLineAndLeaveNothing() {
        String good = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.secretAccessKey", "not-the-right-secret-4711");
        Cli.Result denied;
        try {
            denied = Cli.run("export", "s3://" + BUCKET + "/denied.tar.gz", "--kubeconfig", source, "-n", "metal3", "--recipient", recipient);
        } finally {
            System.setProperty("aws.secretAccessKey", good);
        }
        assertEquals(1, denied.exitCode(), denied.toString());
        assertEquals(1, denied.err().lines().count(), denied.err());
        assertTrue(denied.err().startsWith("error: cannot write archive s3://" + BUCKET + "/denied.tar.gz: the object store refused the credentials"),
                denied.err());
        assertFalse(denied.err().contains("not-the-right-secret") || denied.err().contains(S3Server.IDENTITY), denied.err());

        Cli.Result missing = Cli.run("export", "s3://no-such-bucket/x.tar.gz", "--kubeconfig", source, "-n", "metal3", "--recipient", recipient);
        assertEquals(1, missing.exitCode(), missing.toString());
        assertEquals("error: cannot write archive s3://no-such-bucket/x.tar.gz: bucket no-such-bucket does not exist"
                + " (create it, or check the location and AWS_ENDPOINT_URL)\n", missing.err());
        assertTrue(s3.objects(BUCKET).stream().noneMatch(o -> o.key().startsWith("denied")));
        assertEquals(0, s3.incompleteUploads(BUCKET));
    }

    @Test
    @Order(5)
    void pruneKeepsByPolicyAndAbortsAKilledUpload() throws Exception {
        Path prom = dir.resolve("prune.prom");
        for (int n = 2; n <= 3; n++) {
            Cli.Result r = Cli.run("export", "--kubeconfig", source, "-n", "metal3", "-o", "s3://" + BUCKET + "/mgmt/pivot-00" + n + ".tar.gz",
                    "--recipient", recipient, "-q");
            assertEquals(0, r.exitCode(), r.toString());
        }
        String killed;
        try (S3Client c = s3.client()) { // what an export killed with SIGKILL leaves: an upload with a part, no object
            killed = c.createMultipartUpload(b -> b.bucket(BUCKET).key("mgmt/pivot-004.tar.gz")).uploadId();
            c.uploadPart(b -> b.bucket(BUCKET).key("mgmt/pivot-004.tar.gz").uploadId(killed).partNumber(1), RequestBody.fromString("partial"));
        }
        assertEquals(1, s3.incompleteUploads(BUCKET));

        Cli.Result dry = Cli.run("backups", "prune", "s3://" + BUCKET + "/mgmt/", "--keep-last", "2", "--dry-run");
        assertEquals(0, dry.exitCode(), dry.toString());
        assertEquals(4, s3.objects(BUCKET).stream().filter(o -> o.key().startsWith("mgmt/")).count(), "dry run deletes nothing");
        assertTrue(dry.out().contains("would delete"), dry.out());
        assertEquals(1, s3.incompleteUploads(BUCKET), "a young upload may still be running: left alone by default");

        Cli.Result r = Cli.run("backups", "prune", "s3://" + BUCKET + "/mgmt/", "--keep-last", "2", "--abort-uploads-older-than", "0s",
                "--metrics-file", prom.toString());
        assertEquals(0, r.exitCode(), r.toString());
        List<String> left = s3.objects(BUCKET).stream().map(o -> o.key()).filter(k -> k.startsWith("mgmt/")).sorted().toList();
        // all three exports share a second-resolution creation time at worst; the two newest by time (then name) stay
        assertEquals(3, left.size(), left.toString());
        assertTrue(left.contains("mgmt/README.txt"), "not an archive: never deleted");
        assertTrue(r.out().contains("keep ") && r.out().contains("newest archive") && r.out().contains("ignore  README.txt"), r.out());
        assertTrue(r.out().contains("aborted incomplete upload mgmt/pivot-004.tar.gz"), r.out());
        assertEquals(0, s3.incompleteUploads(BUCKET));
        assertTrue(Files.readString(prom).contains("pivotctl_last_run_success{command=\"backups_prune\"} 1\n"));

        Cli.Result nothing = Cli.run("backups", "prune", "s3://" + BUCKET + "/mgmt/");
        assertEquals(2, nothing.exitCode(), nothing.toString());
        assertTrue(nothing.err().startsWith("error: this policy keeps nothing"), nothing.err());
    }

    @Test
    @Order(6)
    void aLocalDirectoryListsTheSameWay() throws Exception {
        Path backups = Files.createDirectories(dir.resolve("local-backups"));
        Cli.Result r = Cli.run("export", "--kubeconfig", source, "-n", "metal3", "-o", backups.resolve("b.tar").toString(), "--recipient", recipient, "-q");
        assertEquals(0, r.exitCode(), r.toString());
        Files.writeString(backups.resolve("notes.md"), "hello");
        Cli.Result list = Cli.run("backups", "list", backups.toString(), "-o", "json");
        JsonNode rows = Json.MAPPER.readTree(list.out());
        assertEquals("b.tar", rows.get(0).path("name").asText());
        assertEquals(Files.size(backups.resolve("b.tar")), rows.get(0).path("size").asLong());
        assertEquals("notes.md", rows.get(1).path("name").asText());
        assertFalse(rows.get(1).path("problem").isMissingNode() || rows.get(1).path("problem").isNull());

        Thread.sleep(1100); // creation times have second resolution: the second archive must be the newer one
        Cli.Result second = Cli.run("export", "--kubeconfig", source, "-n", "metal3", "-o", backups.resolve("a.tar").toString(), "--recipient", recipient,
                "-q");
        assertEquals(0, second.exitCode(), second.toString());
        Cli.Result prune = Cli.run("backups", "prune", backups.toString(), "--keep-last", "1");
        assertEquals(0, prune.exitCode(), prune.toString());
        assertTrue(prune.out().contains("delete ") && prune.out().contains(" b.tar"), prune.out());
        assertEquals(List.of("a.tar", "notes.md"), Files.list(backups).map(f -> f.getFileName().toString()).sorted().toList(),
                "the newest archive (a.tar, by creation time, not name) and the non-archive stay");
    }

    @Test
    @Order(7)
    void sigtermDuringTheUploadAbortsItAndLeavesNoObject() throws Exception {
        // a real pivotctl process (the fat jar) configured by AWS_* variables, its upload slowed down by a relay
        try (SlowRelay relay = new SlowRelay(s3.endpoint().getPort(), 32 * 1024)) {
            Path err = dir.resolve("sigterm.err");
            ProcessBuilder pb = servers.process("export", "--kubeconfig", source, "-n", "metal3", "--recipient", recipient,
                    "-o", "s3://" + BUCKET + "/killed/backup.tar.gz").redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + relay.port());
            pb.environment().put("AWS_ACCESS_KEY_ID", S3Server.IDENTITY);
            pb.environment().put("AWS_SECRET_ACCESS_KEY", S3Server.CREDENTIAL);
            pb.environment().put("AWS_REGION", "us-east-1");
            Process p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            // the part upload is under way: an incomplete upload exists and part bytes are flowing
            while (p.isAlive() && System.nanoTime() < deadline && (s3.incompleteUploads(BUCKET) == 0 || relay.forwarded() < 64 * 1024)) {
                Thread.sleep(20);
            }
            assertTrue(p.isAlive(), "still uploading when signalled: " + Files.readString(err));
            assertEquals(1, s3.incompleteUploads(BUCKET), "the upload had started");
            SignalIT.signal(p, "TERM");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String stderr = Files.readString(err);
            assertEquals(143, p.exitValue(), stderr);
            assertTrue(stderr.contains("error: interrupted before finishing; nothing partial was left behind"), stderr);
            assertFalse(stderr.contains(S3Server.CREDENTIAL), stderr);
        }
        assertEquals(List.of(), s3.objects(BUCKET).stream().map(o -> o.key()).filter(k -> k.startsWith("killed/")).toList());
        assertEquals(0, s3.incompleteUploads(BUCKET), "the shutdown hook aborted the upload");
    }

    private static void assertNoCredentials(Cli.Result r) {
        assertFalse(r.toString().contains(S3Server.CREDENTIAL) || r.toString().contains(S3Server.IDENTITY), r.toString());
    }
}

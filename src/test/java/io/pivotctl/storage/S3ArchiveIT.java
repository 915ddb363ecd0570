package io.pivotctl.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchiveContents;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ArchiveWriter;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.ManifestCodec;
import io.pivotctl.testing.S3Server;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The archive location against a real S3 server (S3Proxy, signature checking on): multipart streaming, the
 * check after upload, ranged manifest reads, and that failures leave neither an object nor an incomplete upload.
 */
class S3ArchiveIT {

    static final String BUCKET = "archives";
    static S3Server server;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.start().useForCli();
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Manifest manifest() {
        return new Manifest(Manifest.FORMAT_VERSION, new Manifest.Tool("pivotctl", "test"), "2026-11-24T10:00:00Z",
                "0b9a3c1e-3f43-4c0e-9a59-6c1f1c7f3a11", new Manifest.Source("https://127.0.0.1:6443", "uid", "v1.20.2"),
                new Manifest.Selection(List.of("metal3"), false, List.of()),
                new Manifest.Encryption(Manifest.Encryption.AGE_V1, List.of(), false), List.of(), List.of(),
                new Manifest.GraphInfo(List.of(), List.of(), List.of(), List.of()), null, Map.of(), List.of(), List.of());
    }

    /** {@code count} CRD-role entries of {@code bytes} random (incompressible) bytes each. */
    static List<ArchiveWriter.Source> randomEntries(int count, int bytes, long seed) {
        List<ArchiveWriter.Source> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[bytes];
            new Random(seed + i).nextBytes(b);
            String name = String.format("blob-%05d.example.io", i);
            out.add(new ArchiveWriter.Source(new Manifest.Entry("crds/" + name + ".yaml", Manifest.Entry.CRD, "apiextensions.k8s.io", "v1",
                    "CustomResourceDefinition", "customresourcedefinitions", "", name, 0, null, false, false), () -> b));
        }
        return out;
    }

    @Test
    void aMultipartUploadReadsBackEntryForEntry() {
        S3Archive target = (S3Archive) ArchiveLocation.parse("s3://" + BUCKET + "/multi/backup.tar.gz");
        List<ArchiveWriter.Source> sources = randomEntries(3, 7 << 20, 1); // 21 MiB: three parts of 8 MiB
        Manifest written = target.write(manifest(), sources, Optional.of(m -> "signature".getBytes()));

        long stored = server.objects(BUCKET).stream().filter(o -> o.key().equals("multi/backup.tar.gz")).findFirst().orElseThrow().size();
        assertTrue(stored > 21 << 20, "stored " + stored);
        ArchiveContents back = target.read(ArchiveLimits.DEFAULT);
        assertArrayEquals(ManifestCodec.write(written), back.manifestBytes());
        for (int i = 0; i < sources.size(); i++) {
            String path = sources.get(i).entry().path();
            assertArrayEquals(sourceBytes(sources.get(i)), back.entry(path).orElseThrow(), path);
        }
        ManifestHead head = target.readHead();
        assertArrayEquals(back.manifestBytes(), head.manifestBytes());
        assertTrue(head.signed());
        assertEquals(stored, head.archiveBytes());
        assertEquals(0, server.incompleteUploads(BUCKET));
    }

    @Test
    void aManifestLargerThanTheFirstRangedReadIsStillRead() {
        S3Archive target = (S3Archive) ArchiveLocation.parse("s3://" + BUCKET + "/big-manifest.tar");
        Manifest written = target.write(manifest(), randomEntries(12_000, 8, 2), Optional.empty());
        byte[] manifestBytes = ManifestCodec.write(written);
        assertTrue(manifestBytes.length > S3Archive.FIRST_HEAD_BYTES, "manifest only " + manifestBytes.length + " bytes");
        ManifestHead head = target.readHead();
        assertArrayEquals(manifestBytes, head.manifestBytes());
        assertFalse(head.signed());
    }

    @Test
    void aFailureMidwayAbortsTheUploadAndLeavesNoObject() {
        try (var s3 = server.client()) { // the server does list incomplete uploads, so the count below can fail
            String id = s3.createMultipartUpload(r -> r.bucket(BUCKET).key("probe")).uploadId();
            assertEquals(1, server.incompleteUploads(BUCKET));
            s3.abortMultipartUpload(r -> r.bucket(BUCKET).key("probe").uploadId(id));
        }
        S3Archive target = (S3Archive) ArchiveLocation.parse("s3://" + BUCKET + "/failed/backup.tar");
        List<ArchiveWriter.Source> sources = new ArrayList<>(randomEntries(3, 6 << 20, 3));
        ArchiveWriter.Source last = sources.remove(2);
        AtomicInteger calls = new AtomicInteger();
        // the writer asks each entry twice (digest, then write): the second time, two parts are already uploaded
        sources.add(new ArchiveWriter.Source(last.entry(), () -> {
            if (calls.incrementAndGet() == 2) {
                throw new IOException("source went away");
            }
            return last.content().bytes();
        }));
        PivotctlException e = assertThrows(PivotctlException.class, () -> target.write(manifest(), sources, Optional.empty()));
        assertEquals(Outcome.FAILED, e.outcome());
        assertEquals("cannot write archive s3://archives/failed/backup.tar: source went away", e.getMessage());
        assertTrue(server.objects(BUCKET).stream().noneMatch(o -> o.key().startsWith("failed/")));
        assertEquals(0, server.incompleteUploads(BUCKET), "the aborted upload is gone");
    }

    @Test
    void wrongCredentialsAreOneLineWithoutTheSecret() {
        String good = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.secretAccessKey", "wrong-secret-value-987654321");
        try {
            S3Archive target = (S3Archive) ArchiveLocation.parse("s3://" + BUCKET + "/denied.tar");
            PivotctlException e = assertThrows(PivotctlException.class, () -> target.write(manifest(), randomEntries(1, 10, 4), Optional.empty()));
            assertEquals(Outcome.FAILED, e.outcome());
            assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong-secret-value") || e.getMessage().contains(S3Server.IDENTITY), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        } finally {
            System.setProperty("aws.secretAccessKey", good);
        }
        assertTrue(server.objects(BUCKET).stream().noneMatch(o -> o.key().equals("denied.tar")));
    }

    @Test
    void aMissingBucketIsNamed() {
        S3Archive target = (S3Archive) ArchiveLocation.parse("s3://no-such-bucket/x.tar.gz");
        PivotctlException e = assertThrows(PivotctlException.class, target::checkWritable);
        assertEquals("cannot write archive s3://no-such-bucket/x.tar.gz: bucket no-such-bucket does not exist"
                + " (create it, or check the location and AWS_ENDPOINT_URL)", e.getMessage());
        PivotctlException w = assertThrows(PivotctlException.class, () -> target.write(manifest(), randomEntries(1, 10, 5), Optional.empty()));
        assertTrue(w.getMessage().contains("bucket no-such-bucket does not exist"), w.getMessage());
    }

    @Test
    void readingAnObjectThatIsNotAnArchiveSaysSo() {
        try (var s3 = server.client()) {
            s3.putObject(r -> r.bucket(BUCKET).key("notes.txt"), software.amazon.awssdk.core.sync.RequestBody.fromString("hello, not a tar"));
        }
        PivotctlException e = assertThrows(PivotctlException.class, () -> ArchiveLocation.parse("s3://" + BUCKET + "/notes.txt").readHead());
        assertEquals(Outcome.INVALID, e.outcome());
        assertTrue(e.getMessage().startsWith("not a pivotctl archive"), e.getMessage());
        PivotctlException missing = assertThrows(PivotctlException.class,
                () -> ArchiveLocation.parse("s3://" + BUCKET + "/nothing-here.tar").read(ArchiveLimits.DEFAULT));
        assertEquals("cannot read archive s3://archives/nothing-here.tar: s3://archives/nothing-here.tar does not exist", missing.getMessage());
    }

    @Test
    void locationsThatCouldCarrySecretsOrNameNoObjectAreRefused() {
        PivotctlException q = assertThrows(PivotctlException.class, () -> ArchiveLocation.parse("s3://b/k.tar?X-Amz-Signature=abc"));
        assertFalse(q.getMessage().contains("abc"));
        assertEquals(Outcome.USAGE, assertThrows(PivotctlException.class, () -> ArchiveLocation.parse("s3://bucket/prefix/")).outcome());
        assertTrue(ArchiveLocation.parse("backup.tar.gz") instanceof LocalArchive);
    }

    private static byte[] sourceBytes(ArchiveWriter.Source s) {
        try {
            return s.content().bytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

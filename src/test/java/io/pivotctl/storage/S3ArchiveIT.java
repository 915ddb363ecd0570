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
import io.pivotctl.archive.Digests;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.ManifestCodec;
import io.pivotctl.testing.S3Server;
import io.pivotctl.testing.Signers;
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
        return Manifest.builder().tool(new Manifest.Tool("pivotctl", "test")).createdAt("2026-11-24T10:00:00Z")
                .archiveId("0b9a3c1e-3f43-4c0e-9a59-6c1f1c7f3a11").source(new Manifest.Source("https://127.0.0.1:6443", "uid", "v1.20.2"))
                .selection(new Manifest.Selection(List.of("metal3"), false, List.of()))
                .encryption(new Manifest.Encryption(Manifest.Encryption.AGE_V1, List.of(), false))
                .graph(new Manifest.GraphInfo(List.of(), List.of(), List.of(), List.of())).build();
    }

    /** {@code count} CRD-role entries of {@code bytes} random (incompressible) bytes each. */
    static List<ArchiveWriter.Source> randomEntries(int count, int bytes, long seed) {
        List<ArchiveWriter.Source> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[bytes];
            new Random(seed + i).nextBytes(b);
            String name = String.format("blob-%05d.example.io", i);
            out.add(new ArchiveWriter.Source(Manifest.Entry.crd(name), () -> b));
        }
        return out;
    }

    @Test
    void aMultipartUploadReadsBackEntryForEntry() {
        S3Archive target = (S3Archive) ArchiveLocation.parse("s3://" + BUCKET + "/multi/backup.tar.gz");
        List<ArchiveWriter.Source> sources = randomEntries(3, 7 << 20, 1); // 21 MiB: three parts of 8 MiB
        ArchiveWriter.Written written = target.write(manifest(), sources, Optional.of(Signers.fixed("test-scheme", sha -> "signature".getBytes())));

        long stored = server.objects(BUCKET).stream().filter(o -> o.key().equals("multi/backup.tar.gz")).findFirst().orElseThrow().size();
        assertTrue(stored > 21 << 20, "stored " + stored);
        ArchiveContents back = target.read(ArchiveLimits.DEFAULT);
        assertArrayEquals(ManifestCodec.write(written.manifest()), back.manifestBytes());
        for (int i = 0; i < sources.size(); i++) {
            String path = sources.get(i).entry().path();
            assertArrayEquals(sourceBytes(sources.get(i)), back.entry(path).orElseThrow(), path);
        }
        ArchiveHead head = target.readHead();
        assertEquals(written.summary(), head.summary());
        assertEquals(Digests.sha256(back.manifestBytes()), head.summary().manifest().sha256());
        assertTrue(head.signed());
        assertEquals(stored, head.archiveBytes());
        assertEquals(0, server.incompleteUploads(BUCKET));
    }

    @Test
    void aManifestFarLargerThanTheFirstRangedReadLeavesTheSummaryInIt() {
        S3Archive target = (S3Archive) ArchiveLocation.parse("s3://" + BUCKET + "/big-manifest.tar");
        ArchiveWriter.Written written = target.write(manifest(), randomEntries(12_000, 8, 2), Optional.empty());
        long manifestBytes = ManifestCodec.write(written.manifest()).length;
        assertTrue(manifestBytes > 16 * HeadReader.FIRST_READ_BYTES, "manifest only " + manifestBytes + " bytes");
        // the summary is the first entry: the first ranged read holds it, whatever the manifest's size
        java.util.Optional<io.pivotctl.archive.ArchiveReader.Start> start;
        try (var s3 = server.client()) {
            byte[] prefix = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("big-manifest.tar").range("bytes=0-" + (HeadReader.FIRST_READ_BYTES - 1)))
                    .asByteArray();
            start = HeadReader.fromPrefix(new java.io.ByteArrayInputStream(prefix));
        }
        assertEquals(written.summary(), start.orElseThrow().summary());
        ArchiveHead head = target.readHead();
        assertEquals(written.summary(), head.summary());
        assertEquals(manifestBytes, head.summary().manifest().size());
        assertFalse(head.signed());
    }

    @Test
    void aFormatOneZeroArchiveIsSummarisedFromItsStreamedManifest() throws Exception {
        java.nio.file.Path kept = java.nio.file.Path.of("src/test/resources/archives/1.0/signed.tar.gz");
        try (var s3 = server.client()) {
            s3.putObject(r -> r.bucket(BUCKET).key("old/signed.tar.gz"), software.amazon.awssdk.core.sync.RequestBody.fromFile(kept));
        }
        ArchiveHead head = ArchiveLocation.parse("s3://" + BUCKET + "/old/signed.tar.gz").readHead();
        assertEquals("1.0", head.summary().formatVersion());
        assertEquals("ed25519", head.summary().signature());
        assertEquals(102, head.summary().contents().objects());
        assertEquals(6, head.summary().contents().hosts());
        assertEquals(null, head.summary().contents().hostsPerState(), "a 1.0 archive's host states are in its objects");
        assertEquals(java.nio.file.Files.size(kept), head.archiveBytes());
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(kept)) {
            assertEquals(HeadReader.manifestSha256(in), head.summary().manifest().sha256());
        }
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

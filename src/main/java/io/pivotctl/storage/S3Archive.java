package io.pivotctl.storage;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchiveContents;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ArchiveReader;
import io.pivotctl.archive.HeldBudget;
import io.pivotctl.archive.ArchiveWriter;
import io.pivotctl.archive.Digests;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.ManifestCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** An archive stored as one object in S3-compatible storage. */
public record S3Archive(S3Uri uri) implements ArchiveLocation {

    /** The first ranged read; most manifests fit, a large fleet's takes one or two more. */
    static final int FIRST_HEAD_BYTES = 1 << 20;

    @Override
    public ArchiveContents read(ArchiveLimits limits) {
        try (S3Client s3 = S3Clients.create(); InputStream in = s3.getObject(r -> r.bucket(uri.bucket()).key(uri.key()))) {
            return ArchiveReader.read(in, limits);
        } catch (IOException e) {
            throw PivotctlException.invalid("cannot read archive " + uri + ": " + S3Errors.scrub(S3Errors.firstLine(e)));
        } catch (RuntimeException e) {
            throw S3Errors.describe(e, "read archive " + uri, uri);
        }
    }

    /** Streamed from one GET: entries are checked as the bytes arrive, nothing of the object is buffered whole. */
    @Override
    public List<String> scan(ArchiveLimits limits, HeldBudget held, ArchiveReader.EntrySink sink) {
        try (S3Client s3 = S3Clients.create(); InputStream in = s3.getObject(r -> r.bucket(uri.bucket()).key(uri.key()))) {
            return ArchiveReader.scan(in, limits, held, sink);
        } catch (IOException e) {
            throw PivotctlException.invalid("cannot read archive " + uri + ": " + S3Errors.scrub(S3Errors.firstLine(e)));
        } catch (PivotctlException e) {
            throw e;
        } catch (RuntimeException e) {
            throw S3Errors.describe(e, "read archive " + uri, uri);
        }
    }

    @Override
    public ManifestHead readHead() {
        try (S3Client s3 = S3Clients.create()) {
            return readHead(s3);
        } catch (RuntimeException e) {
            throw S3Errors.describe(e, "read archive " + uri, uri);
        }
    }

    ManifestHead readHead(S3Client s3) {
        long want = FIRST_HEAD_BYTES;
        while (true) {
            long end = want - 1;
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(uri.bucket()).key(uri.key()).range("bytes=0-" + end));
            long total = totalSize(got.response());
            byte[] prefix = got.asByteArray();
            Optional<ManifestHead> head = HeadReader.read(new ByteArrayInputStream(prefix), total);
            if (head.isPresent()) {
                return head.get();
            }
            if (prefix.length >= total || want >= HeadReader.MAX_MANIFEST_BYTES) {
                throw HeadReader.notAnArchive("no complete manifest.json at the beginning of " + uri);
            }
            want = Math.min(want * 4, HeadReader.MAX_MANIFEST_BYTES + (1 << 20));
        }
    }

    private static long totalSize(GetObjectResponse r) {
        String range = r.contentRange(); // "bytes 0-1048575/123456789"
        if (range != null && range.contains("/") && !range.endsWith("/*")) {
            return Long.parseLong(range.substring(range.lastIndexOf('/') + 1).trim());
        }
        return r.contentLength() == null ? -1 : r.contentLength();
    }

    @Override
    public Manifest write(Manifest manifest, List<ArchiveWriter.Source> sources, Optional<UnaryOperator<byte[]>> signer) {
        try (S3Client s3 = S3Clients.create()) {
            MultipartUploadStream upload;
            try {
                upload = new MultipartUploadStream(s3, uri, compressed() ? "application/gzip" : "application/x-tar",
                        MultipartUploadStream.DEFAULT_PART_BYTES);
            } catch (RuntimeException e) {
                throw S3Errors.describe(e, "write archive " + uri, uri);
            }
            // Ctrl-C/SIGTERM skip finally blocks: a shutdown hook aborts the upload so no parts are left behind
            Thread abortOnExit = new Thread(upload::abort, "pivotctl-upload-abort");
            Runtime.getRuntime().addShutdownHook(abortOnExit);
            boolean completed = false;
            try {
                Manifest written = ArchiveWriter.writeTo(upload, compressed(), manifest, sources, signer);
                long bytes = upload.complete();
                completed = true;
                checkStored(s3, bytes, written);
                return written;
            } catch (IOException e) {
                throw PivotctlException.failed("cannot write archive " + uri + ": " + S3Errors.scrub(S3Errors.firstLine(e)));
            } catch (java.io.UncheckedIOException e) {
                throw PivotctlException.failed("cannot write archive " + uri + ": " + S3Errors.scrub(S3Errors.firstLine(e.getCause())));
            } catch (RuntimeException e) {
                throw S3Errors.describe(e, "write archive " + uri, uri);
            } finally {
                if (!completed) {
                    upload.abort();
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(abortOnExit);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
        }
    }

    /**
     * Reads back what the store kept: the size must be what was sent and the manifest at its beginning must be the
     * one written. A mismatch removes the object this run just wrote, so no archive that cannot be trusted remains.
     */
    private void checkStored(S3Client s3, long bytesSent, Manifest written) {
        HeadObjectResponse head = s3.headObject(r -> r.bucket(uri.bucket()).key(uri.key()));
        String problem = null;
        if (head.contentLength() == null || head.contentLength() != bytesSent) {
            problem = "the store holds " + head.contentLength() + " bytes, " + bytesSent + " were sent";
        } else if (!storedManifestSha256(s3).equals(manifestSha256(written))) {
            problem = "the stored manifest differs from the one written";
        }
        if (problem != null) {
            s3.deleteObject(r -> r.bucket(uri.bucket()).key(uri.key()));
            throw PivotctlException.failed("archive " + uri + " failed the check after upload (" + problem + "); it was removed");
        }
    }

    /** Streamed on both sides: a fleet's manifest (about 100 MB at 5,000 hosts) is never held to be compared. */
    private String storedManifestSha256(S3Client s3) {
        try (software.amazon.awssdk.core.ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(uri.bucket()).key(uri.key()))) {
            String sha = HeadReader.manifestSha256(in);
            in.abort(); // the objects behind the manifest are not needed: do not download them
            return sha;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String manifestSha256(Manifest written) {
        java.security.MessageDigest digest = Digests.sha256();
        try (java.security.DigestOutputStream out = new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), digest)) {
            ManifestCodec.write(written, out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Digests.hex(digest);
    }

    @Override
    public void checkWritable() {
        try (S3Client s3 = S3Clients.create()) {
            s3.headBucket(r -> r.bucket(uri.bucket()));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
            throw PivotctlException.failed("cannot write archive " + uri + ": bucket " + uri.bucket()
                    + " does not exist (create it, or check the location and AWS_ENDPOINT_URL)");
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                throw PivotctlException.failed("cannot write archive " + uri + ": bucket " + uri.bucket()
                        + " does not exist (create it, or check the location and AWS_ENDPOINT_URL)");
            }
            throw S3Errors.describe(e, "write archive " + uri, uri);
        } catch (RuntimeException e) {
            throw S3Errors.describe(e, "write archive " + uri, uri);
        }
    }

    @Override
    public long size() {
        try (S3Client s3 = S3Clients.create()) {
            return s3.headObject(r -> r.bucket(uri.bucket()).key(uri.key())).contentLength();
        } catch (RuntimeException e) {
            throw S3Errors.describe(e, "read the size of " + uri, uri);
        }
    }

    @Override
    public boolean compressed() {
        return ArchiveWriter.isGzipName(uri.key());
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}

package io.pivotctl.storage;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchiveContents;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ArchiveReader;
import io.pivotctl.archive.HeldBudget;
import io.pivotctl.archive.ArchiveWriter;
import io.pivotctl.archive.FormatLimits;
import io.pivotctl.archive.Manifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** An archive stored as one object in S3-compatible storage. */
public record S3Archive(S3Uri uri) implements ArchiveLocation {

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
    public ArchiveHead readHead() {
        try (S3Client s3 = S3Clients.create()) {
            return readHead(s3);
        } catch (PivotctlException e) {
            throw e;
        } catch (RuntimeException e) {
            throw S3Errors.describe(e, "read archive " + uri, uri);
        }
    }

    /**
     * The summary by ranged reads of the object's beginning: 64 KiB, then (a summary is at most 1 MiB) what it needs. A
     * 1.0 archive, which starts with its manifest, is read as a stream up to the entry after the manifest, never held.
     */
    ArchiveHead readHead(S3Client s3) {
        long want = HeadReader.FIRST_READ_BYTES;
        while (true) {
            long end = want - 1;
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(uri.bucket()).key(uri.key()).range("bytes=0-" + end));
            long total = totalSize(got.response());
            byte[] prefix = got.asByteArray();
            Optional<io.pivotctl.archive.ArchiveReader.Start> start = HeadReader.fromPrefix(new ByteArrayInputStream(prefix));
            if (start.isPresent() && start.get().manifestFirst()) {
                return streamedHead(s3, total);
            }
            if (start.isPresent()) {
                return new ArchiveHead(start.get().summary(), total);
            }
            if (prefix.length >= total || want > FormatLimits.MAX_SUMMARY_BYTES) {
                throw HeadReader.notAnArchive("no complete summary.json or manifest.json at the beginning of " + uri);
            }
            want = FormatLimits.MAX_SUMMARY_BYTES + HeadReader.FIRST_READ_BYTES;
        }
    }

    /** A 1.0 archive's summary, computed from its manifest as it streams; the rest of the object is not downloaded. */
    private ArchiveHead streamedHead(S3Client s3, long total) {
        try (software.amazon.awssdk.core.ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(uri.bucket()).key(uri.key()))) {
            ArchiveHead head = HeadReader.fromStream(in, total, uri.toString());
            in.abort();
            return head;
        } catch (IOException e) {
            throw PivotctlException.invalid("cannot read archive " + uri + ": " + S3Errors.scrub(S3Errors.firstLine(e)));
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
    public ArchiveWriter.Written write(Manifest manifest, List<ArchiveWriter.Source> sources, Optional<ArchiveWriter.Signer> signer) {
        return write((out, gzip) -> ArchiveWriter.writeTo(out, gzip, manifest, sources, signer));
    }

    @Override
    public ArchiveWriter.Written write(ArchiveWriter.Body body) {
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
                ArchiveWriter.Written written = body.writeTo(upload, compressed());
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
     * Reads back what the store kept: the size must be what was sent, the summary at its beginning the one written, and
     * the manifest's bytes the ones whose digest the summary (and a signature) names. A mismatch removes the object this
     * run just wrote, so no archive that cannot be trusted remains.
     */
    private void checkStored(S3Client s3, long bytesSent, ArchiveWriter.Written written) {
        HeadObjectResponse head = s3.headObject(r -> r.bucket(uri.bucket()).key(uri.key()));
        String problem = null;
        if (head.contentLength() == null || head.contentLength() != bytesSent) {
            problem = "the store holds " + head.contentLength() + " bytes, " + bytesSent + " were sent";
        } else if (!readHead(s3).summary().equals(written.summary())) {
            problem = "the stored summary.json differs from the one written";
        } else if (!storedManifestSha256(s3).equals(written.summary().manifest().sha256())) {
            problem = "the stored manifest differs from the one written";
        }
        if (problem != null) {
            s3.deleteObject(r -> r.bucket(uri.bucket()).key(uri.key()));
            throw PivotctlException.failed("archive " + uri + " failed the check after upload (" + problem + "); it was removed");
        }
    }

    /** Streamed: a fleet's manifest (about 100 MB at 5,000 hosts) is never held to be compared. */
    private String storedManifestSha256(S3Client s3) {
        try (software.amazon.awssdk.core.ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(uri.bucket()).key(uri.key()))) {
            String sha = HeadReader.manifestSha256(in);
            in.abort(); // the objects behind the manifest are not needed: do not download them
            return sha;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void delete() {
        try (S3Client s3 = S3Clients.create()) {
            s3.deleteObject(r -> r.bucket(uri.bucket()).key(uri.key()));
        } catch (RuntimeException e) {
            throw S3Errors.describe(e, "remove " + uri, uri);
        }
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

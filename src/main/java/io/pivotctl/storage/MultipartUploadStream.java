package io.pivotctl.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * An S3 multipart upload as an output stream: one part is buffered at a time (never the whole archive, never a
 * temp file), each part is sent with its Content-MD5 so the store checks it, and the object only appears on
 * {@link #complete()}. Until then {@link #abort()} leaves nothing behind.
 */
final class MultipartUploadStream extends OutputStream {

    /** S3's minimum for every part but the last. */
    static final int MIN_PART_BYTES = 5 << 20;
    static final int DEFAULT_PART_BYTES = 8 << 20;

    private final S3Client s3;
    private final S3Uri target;
    private final String uploadId;
    private final byte[] part;
    private final List<CompletedPart> parts = new ArrayList<>();
    private int filled;
    private long total;
    private volatile boolean finished;

    MultipartUploadStream(S3Client s3, S3Uri target, String contentType, int partBytes) {
        if (partBytes < MIN_PART_BYTES) {
            throw new IllegalArgumentException("part size below the S3 minimum of 5 MiB");
        }
        this.s3 = s3;
        this.target = target;
        this.part = new byte[partBytes];
        this.uploadId = s3.createMultipartUpload(r -> r.bucket(target.bucket()).key(target.key()).contentType(contentType)
                .metadata(java.util.Map.of("written-by", "pivotctl"))).uploadId();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, part.length - filled);
            System.arraycopy(b, off, part, filled, n);
            filled += n;
            off += n;
            len -= n;
            total += n;
            if (filled == part.length) {
                sendPart();
            }
        }
    }

    private void sendPart() {
        int number = parts.size() + 1;
        int length = filled;
        String md5 = Base64.getEncoder().encodeToString(md5(part, length));
        String etag = s3.uploadPart(r -> r.bucket(target.bucket()).key(target.key()).uploadId(uploadId).partNumber(number)
                .contentLength((long) length).contentMD5(md5), RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, length), length)).eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        filled = 0;
    }

    /** Sends the last part and makes the object appear. Returns the number of bytes uploaded. */
    long complete() {
        if (filled > 0 || parts.isEmpty()) {
            sendPart();
        }
        s3.completeMultipartUpload(r -> r.bucket(target.bucket()).key(target.key()).uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        finished = true;
        return total;
    }

    /** Best effort: the store drops the parts; an upload that cannot be aborted now is aborted by {@code backups prune}. */
    void abort() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            s3.abortMultipartUpload(r -> r.bucket(target.bucket()).key(target.key()).uploadId(uploadId));
        } catch (RuntimeException ignored) {
            // nothing more to do; the upload never completed, so no object exists
        }
    }

    long bytesWritten() {
        return total;
    }

    @Override
    public void close() {
        // completing or aborting is the caller's decision, never a side effect of closing
    }

    private static byte[] md5(byte[] b, int len) {
        try {
            MessageDigest d = MessageDigest.getInstance("MD5");
            d.update(b, 0, len);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

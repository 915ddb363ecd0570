package io.pivotctl.storage;

import io.pivotctl.PivotctlException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Archives as objects directly under one prefix of a bucket; one client for the whole listing. */
public final class S3Store implements ArchiveStore {

    private final S3Uri prefix;
    private S3Client s3;

    S3Store(S3Uri prefix) {
        this.prefix = prefix;
    }

    private S3Client s3() {
        if (s3 == null) {
            s3 = S3Clients.create();
        }
        return s3;
    }

    @Override
    public List<StoredObject> list() {
        List<StoredObject> out = new ArrayList<>();
        try {
            for (S3Object o : s3().listObjectsV2Paginator(r -> r.bucket(prefix.bucket()).prefix(prefix.key()).delimiter("/")).contents()) {
                String name = o.key().substring(prefix.key().length());
                if (!name.isEmpty()) {
                    out.add(new StoredObject(name, o.size(), o.lastModified(), new S3Archive(new S3Uri(prefix.bucket(), o.key()))));
                }
            }
        } catch (RuntimeException e) {
            throw S3Errors.describe(e, "list " + prefix, prefix);
        }
        out.sort(Comparator.comparing(StoredObject::name));
        return out;
    }

    @Override
    public ArchiveHead readHead(StoredObject object) {
        S3Archive archive = (S3Archive) object.location();
        try {
            return archive.readHead(s3());
        } catch (RuntimeException e) {
            throw S3Errors.describe(e, "read archive " + archive, archive.uri());
        }
    }

    @Override
    public void delete(StoredObject object) {
        S3Uri uri = ((S3Archive) object.location()).uri();
        try {
            s3().deleteObject(r -> r.bucket(uri.bucket()).key(uri.key()));
        } catch (RuntimeException e) {
            throw S3Errors.describe(e, "delete " + uri, uri);
        }
    }

    /**
     * Only uploads that are this location's to abort: directly under the prefix (delimiter {@code /}: another tool's
     * uploads in a sub-prefix, or in the rest of the bucket when the location is the bucket itself, are never listed),
     * and only keys that look like pivotctl archives ({@code .tar}, {@code .tar.gz}, {@code .tgz}). The store is asked
     * with the delimiter, and the answer is checked again here: a store that ignores the delimiter changes nothing, and
     * one that refuses it (S3Proxy, some on-premises stores answer 501) is asked without it and filtered the same way.
     */
    @Override
    public List<IncompleteUpload> incompleteUploads() {
        try {
            return uploads(true);
        } catch (RuntimeException e) {
            if (!(e instanceof S3Exception s3e && s3e.statusCode() == 501)) {
                throw S3Errors.describe(e, "list incomplete uploads under " + prefix, prefix);
            }
        }
        try {
            return uploads(false);
        } catch (RuntimeException e) {
            throw S3Errors.describe(e, "list incomplete uploads under " + prefix, prefix);
        }
    }

    private List<IncompleteUpload> uploads(boolean delimited) {
        List<IncompleteUpload> out = new ArrayList<>();
        for (MultipartUpload u : s3().listMultipartUploadsPaginator(r -> {
            r.bucket(prefix.bucket()).prefix(prefix.key());
            if (delimited) {
                r.delimiter("/");
            }
        }).uploads()) {
            if (isOurs(u.key())) {
                out.add(new IncompleteUpload(u.key(), u.uploadId(), u.initiated()));
            }
        }
        return out;
    }

    private boolean isOurs(String key) {
        if (!key.startsWith(prefix.key())) {
            return false;
        }
        String name = key.substring(prefix.key().length());
        return !name.contains("/") && (name.endsWith(".tar") || name.endsWith(".tar.gz") || name.endsWith(".tgz"));
    }

    @Override
    public void abort(IncompleteUpload upload) {
        try {
            s3().abortMultipartUpload(r -> r.bucket(prefix.bucket()).key(upload.key()).uploadId(upload.uploadId()));
        } catch (RuntimeException e) {
            throw S3Errors.describe(e, "abort the upload of " + upload.key(), prefix);
        }
    }

    @Override
    public ArchiveLocation staging(StoredObject object) {
        return new S3Archive(new S3Uri(prefix.bucket(), prefix.key() + STAGING + object.name()));
    }

    /** A server-side copy: the name holds the old object until the copy completes, then the new one whole. */
    @Override
    public void replace(ArchiveLocation staged, StoredObject object) {
        S3Uri from = ((S3Archive) staged).uri();
        S3Uri to = ((S3Archive) object.location()).uri();
        try {
            s3().copyObject(r -> r.sourceBucket(from.bucket()).sourceKey(from.key()).destinationBucket(to.bucket()).destinationKey(to.key()));
            long copied = s3().headObject(r -> r.bucket(to.bucket()).key(to.key())).contentLength();
            long written = s3().headObject(r -> r.bucket(from.bucket()).key(from.key())).contentLength();
            if (copied != written) {
                throw PivotctlException.failed("the copy of " + from + " to " + to + " holds " + copied + " bytes, not " + written);
            }
            s3().deleteObject(r -> r.bucket(from.bucket()).key(from.key()));
        } catch (RuntimeException e) {
            throw S3Errors.describe(e, "replace " + to + " by its rekeyed version", to);
        }
    }

    @Override
    public int clearStaging() {
        S3Uri staging = new S3Uri(prefix.bucket(), prefix.key() + STAGING);
        int removed = 0;
        try {
            for (S3Object o : s3().listObjectsV2Paginator(r -> r.bucket(staging.bucket()).prefix(staging.key())).contents()) {
                s3().deleteObject(r -> r.bucket(staging.bucket()).key(o.key()));
                removed++;
            }
            try (S3Store folder = new S3Store(staging)) {
                for (IncompleteUpload u : folder.incompleteUploads()) {
                    folder.abort(u);
                    removed++;
                }
            }
        } catch (RuntimeException e) {
            throw S3Errors.describe(e, "clear " + staging, staging);
        }
        return removed;
    }

    @Override
    public void close() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    public String toString() {
        return prefix.toString();
    }
}

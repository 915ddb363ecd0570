package io.pivotctl.storage;

import io.pivotctl.PivotctlException;
import java.nio.file.Path;
import java.util.List;

/**
 * A place holding many archives: a local directory or an S3 prefix ({@code s3://BUCKET/PREFIX/}). Listing is not
 * recursive: the archives of one schedule live side by side.
 */
public sealed interface ArchiveStore extends AutoCloseable permits LocalStore, S3Store {

    static ArchiveStore open(String text) {
        if (text == null || text.isBlank()) {
            throw PivotctlException.usage("a backup location is empty: give a directory or s3://BUCKET/PREFIX/");
        }
        if (S3Uri.isS3(text)) {
            S3Uri uri = S3Uri.parse(text);
            String prefix = uri.key().isEmpty() || uri.key().endsWith("/") ? uri.key() : uri.key() + "/";
            return new S3Store(new S3Uri(uri.bucket(), prefix));
        }
        return new LocalStore(Path.of(text));
    }

    /** Everything directly under the location, archive or not, oldest name first. */
    List<StoredObject> list();

    /** The beginning of one stored object: its summary (throws {@link PivotctlException} when it is not an archive). */
    ArchiveHead readHead(StoredObject object);

    void delete(StoredObject object);

    /** Uploads under the location that never completed; empty for a directory (its exports leave no temp file). */
    List<IncompleteUpload> incompleteUploads();

    void abort(IncompleteUpload upload);

    @Override
    void close();

    @Override
    String toString();
}

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

    /** The folder under the location where rekey writes new versions before they replace the originals; never listed. */
    String STAGING = ".pivotctl-rekey/";

    /** Where the new version of {@code object} is written and checked before it replaces it (under {@link #STAGING}). */
    ArchiveLocation staging(StoredObject object);

    /**
     * Puts {@code staged} under {@code object}'s name in one step (a rename; a server-side copy in S3), so the name always
     * holds a whole archive, the old or the new one; then removes {@code staged}.
     */
    void replace(ArchiveLocation staged, StoredObject object);

    /** Removes what an interrupted rekey left under {@link #STAGING} (objects, unfinished uploads); returns how many. */
    int clearStaging();

    @Override
    void close();

    @Override
    String toString();
}

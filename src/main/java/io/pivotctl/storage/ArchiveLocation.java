package io.pivotctl.storage;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchiveContents;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ArchiveReader;
import io.pivotctl.archive.HeldBudget;
import io.pivotctl.archive.ArchiveWriter;
import io.pivotctl.archive.Manifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where one archive lives: a local file or an object in S3-compatible storage ({@code s3://BUCKET/KEY}).
 * Commands take this instead of a {@link Path}, so every command that reads or writes an archive works with both.
 */
public sealed interface ArchiveLocation permits LocalArchive, S3Archive {

    /** {@code s3://BUCKET/KEY} or a local path. */
    static ArchiveLocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw PivotctlException.usage("an archive location is empty: give a file path or s3://BUCKET/KEY");
        }
        if (S3Uri.isS3(text)) {
            S3Uri uri = S3Uri.parse(text);
            if (uri.key().isEmpty() || uri.key().endsWith("/")) {
                throw PivotctlException.usage("'" + text + "' names a bucket or prefix, not an archive: give s3://BUCKET/KEY (e.g. .../backup.tar.gz)");
            }
            return new S3Archive(uri);
        }
        return new LocalArchive(Path.of(text));
    }

    /** Reads and checks the whole archive (every entry), streaming it. */
    ArchiveContents read(ArchiveLimits limits);

    /**
     * Reads the archive once as a stream, handing each safe entry to {@code sink} as it arrives
     * ({@link ArchiveReader#scan}); returns the reader's problems.
     */
    List<String> scan(ArchiveLimits limits, HeldBudget held, ArchiveReader.EntrySink sink);

    /**
     * Reads only the archive's beginning: its summary.json (a ranged read of a few KB in object storage), or for a 1.0
     * archive the summary computed from its manifest as it streams past.
     */
    ArchiveHead readHead();

    /**
     * Writes the archive so that it appears under its name only once complete; on failure or interruption nothing
     * is left. Returns the manifest written.
     */
    ArchiveWriter.Written write(Manifest manifest, List<ArchiveWriter.Source> sources, Optional<ArchiveWriter.Signer> signer);

    /** As {@link #write(Manifest, List, Optional)}, with the archive's bytes produced by {@code body} (rekey streams them). */
    ArchiveWriter.Written write(ArchiveWriter.Body body);

    /** Removes the archive (one this run wrote and must not leave behind); nothing when it is already gone. */
    void delete();

    /** Fails early (before any cluster work) when the location cannot be written: missing bucket, wrong credentials. */
    void checkWritable();

    /** The stored size in bytes. */
    long size();

    /** Whether the name asks for gzip compression (.tar.gz, .tgz). */
    boolean compressed();

    /** How the location is shown to the user: the path or the s3:// URI, never credentials. */
    @Override
    String toString();

}

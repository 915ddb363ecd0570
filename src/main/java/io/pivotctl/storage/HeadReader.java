package io.pivotctl.storage;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ArchiveReader;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.HeldBudget;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads what {@code backups list} and {@code inspect} without {@code --full} show from the beginning of an archive:
 * {@code summary.json}, a few KB (formats/pivot-archive-v1.md section 3.8). A format 1.0 archive has none: its summary
 * is computed from its manifest as the manifest streams past, never held (about 100 MB at 5,000 hosts).
 */
final class HeadReader {

    /** The first ranged read of an object: a summary and the tar and gzip headers before it fit many times over. */
    static final int FIRST_READ_BYTES = 64 << 10;

    private HeadReader() {
    }

    /** What reading the beginning of one archive may hold: a summary, or what a 1.0 manifest's summary counts. */
    static HeldBudget budget() {
        return new HeldBudget(ArchiveLimits.DEFAULT.maxTotalBytes(), HeldBudget.HELD_HEAP_SHARE, "what reading the archive's beginning holds");
    }

    /** From a prefix of the object: the summary, {@code manifestFirst} for a 1.0 archive, or empty when the prefix is too short. */
    static Optional<ArchiveReader.Start> fromPrefix(InputStream prefix) {
        return ArchiveReader.start(prefix, ArchiveLimits.DEFAULT, budget(), false);
    }

    /** From the whole object as a stream (read only as far as the summary, or the 1.0 manifest and the entry after it). */
    static ArchiveHead fromStream(InputStream archive, long archiveBytes, String where) {
        return ArchiveReader.start(archive, ArchiveLimits.DEFAULT, budget(), true).map(s -> new ArchiveHead(s.summary(), archiveBytes))
                .orElseThrow(() -> notAnArchive("no summary.json or manifest.json at the beginning of " + where));
    }

    /**
     * The SHA-256 of the manifest (the first entry, or the second after summary.json) of a whole archive stream, read
     * past without holding it.
     */
    static String manifestSha256(InputStream archive) throws IOException {
        TarArchiveInputStream tar = tarOf(archive);
        TarArchiveEntry e = tar.getNextEntry();
        if (e != null && EntryPaths.SUMMARY.equals(e.getName())) {
            e = tar.getNextEntry();
        }
        if (e == null || !EntryPaths.MANIFEST.equals(e.getName())) {
            throw notAnArchive("no manifest.json at the beginning");
        }
        java.security.MessageDigest digest = io.pivotctl.archive.Digests.sha256();
        byte[] buf = new byte[1 << 16];
        long left = e.getSize();
        while (left > 0) {
            int n = tar.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException("the archive ends inside " + EntryPaths.MANIFEST);
            }
            digest.update(buf, 0, n);
            left -= n;
        }
        return io.pivotctl.archive.Digests.hex(digest);
    }

    /** The archive's tar stream, gunzipped when it starts with the gzip magic bytes. */
    private static TarArchiveInputStream tarOf(InputStream archive) throws IOException {
        BufferedInputStream in = new BufferedInputStream(archive, 1 << 16);
        InputStream stream = ArchiveReader.isGzip(in) ? new GZIPInputStream(in, 1 << 16) : in;
        return new TarArchiveInputStream(stream, StandardCharsets.UTF_8.name());
    }

    static PivotctlException notAnArchive(String why) {
        return PivotctlException.invalid("not a pivotctl archive: " + why);
    }
}

package io.pivotctl.storage;

import io.pivotctl.Printable;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.EntryPaths;
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
 * Reads the manifest (the first entry, formats/pivot-archive-v1.md section 1) and notes whether the signature
 * entry follows, from the beginning of an archive. Given only a prefix of the archive, it answers empty when the
 * prefix ends too early, so the caller can fetch a longer one.
 */
final class HeadReader {

    /** The manifest is limited by the format; beyond this a "head" is no longer cheap. */
    static final int MAX_MANIFEST_BYTES = 64 << 20;

    private HeadReader() {
    }

    static Optional<ManifestHead> read(InputStream prefix, long archiveBytes) {
        try {
            TarArchiveInputStream tar = tarOf(prefix);
            TarArchiveEntry first = tar.getNextEntry();
            if (first == null) {
                throw notAnArchive("no tar entry found");
            }
            if (!EntryPaths.MANIFEST.equals(first.getName())) {
                throw notAnArchive("the first entry is '" + Printable.of(first.getName()) + "', not " + EntryPaths.MANIFEST);
            }
            if (first.getSize() < 0 || first.getSize() > MAX_MANIFEST_BYTES) {
                throw notAnArchive("manifest.json is " + first.getSize() + " bytes, over the limit of " + MAX_MANIFEST_BYTES);
            }
            byte[] manifest = tar.readNBytes((int) first.getSize());
            if (manifest.length < first.getSize()) {
                return Optional.empty();
            }
            TarArchiveEntry second = tar.getNextEntry();
            return Optional.of(new ManifestHead(manifest, second != null && EntryPaths.SIGNATURE.equals(second.getName()), archiveBytes));
        } catch (EOFException truncated) {
            return Optional.empty();
        } catch (PivotctlException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // a prefix cut inside gzip or tar data reads as damage: only the caller knows whether the object ended there
            return Optional.empty();
        }
    }

    /**
     * The SHA-256 of the first entry (the manifest) of a whole archive stream, read past without holding it: a
     * fleet's manifest is far larger than a "head" (about 100 MB at 5,000 hosts).
     */
    static String manifestSha256(InputStream archive) throws IOException {
        TarArchiveInputStream tar = tarOf(archive);
        TarArchiveEntry first = tar.getNextEntry();
        if (first == null || !EntryPaths.MANIFEST.equals(first.getName())) {
            throw notAnArchive("the first entry is not " + EntryPaths.MANIFEST);
        }
        java.security.MessageDigest digest = io.pivotctl.archive.Digests.sha256();
        byte[] buf = new byte[1 << 16];
        long left = first.getSize();
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
        InputStream stream = io.pivotctl.archive.ArchiveReader.isGzip(in) ? new GZIPInputStream(in, 1 << 16) : in;
        return new TarArchiveInputStream(stream, StandardCharsets.UTF_8.name());
    }

    static PivotctlException notAnArchive(String why) {
        return PivotctlException.invalid("not a pivotctl archive: " + why);
    }

}

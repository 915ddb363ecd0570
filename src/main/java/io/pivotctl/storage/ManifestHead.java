package io.pivotctl.storage;

/** The first entries of an archive: the manifest bytes and whether a signature entry follows. */
public record ManifestHead(byte[] manifestBytes, boolean signed, long archiveBytes) {
}

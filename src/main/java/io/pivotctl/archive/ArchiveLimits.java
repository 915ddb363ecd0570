package io.pivotctl.archive;

/**
 * Bounds for reading untrusted archives, so a hostile or corrupt file cannot exhaust memory.
 * Defaults fit a management cluster of several thousand hosts; all three are configurable.
 */
public record ArchiveLimits(int maxEntries, long maxEntryBytes, long maxTotalBytes) {

    public static final ArchiveLimits DEFAULT = new ArchiveLimits(500_000, 64L << 20, 2L << 30);

    public ArchiveLimits {
        if (maxEntries <= 0 || maxEntryBytes <= 0 || maxTotalBytes <= 0) {
            throw new IllegalArgumentException("archive limits must be positive");
        }
    }
}

package io.pivotctl.archive;

/**
 * Bounds for reading untrusted archives, so a hostile or corrupt file cannot exhaust memory or run for long
 * (formats/pivot-archive-v1.md, limits). The defaults hold with {@code -Xmx256m} and leave a wide margin over a
 * 1000-host fleet (about 13,300 objects, see the README's performance section):
 * <ul>
 * <li>{@code maxEntries}: tar entries of any kind;
 * <li>{@code maxEntryBytes}: one entry (the manifest is the largest);
 * <li>{@code maxTotalBytes}: everything held in memory, entry contents plus their names; also never more than
 * 1/{@link #HEAP_SHARE} of the JVM's maximum heap, because parsing and checking what is held needs several times
 * its size (a 1000-host archive holds about 38 MB and validates in -Xmx256m, not in -Xmx150m);
 * <li>{@code maxHeaderBytes}: one GNU long name/link or PAX header, and all PAX global headers together;
 * <li>{@code maxStreamBytes}: the tar stream read, after decompression (skipped entries, headers, padding).
 * </ul>
 */
public record ArchiveLimits(int maxEntries, long maxEntryBytes, long maxTotalBytes, long maxHeaderBytes, long maxStreamBytes) {

    public static final long DEFAULT_HEADER_BYTES = 64L << 10;
    /** Held bytes may be at most this fraction (1/n) of the maximum heap. */
    public static final int HEAP_SHARE = 5;

    /** The manifest of a 1000-host fleet is about 22 MB (one entry), all it holds about 38 MB. */
    public static final ArchiveLimits DEFAULT = new ArchiveLimits(100_000, 64L << 20, 128L << 20, DEFAULT_HEADER_BYTES, 384L << 20);

    public ArchiveLimits {
        if (maxEntries <= 0 || maxEntryBytes <= 0 || maxTotalBytes <= 0 || maxHeaderBytes <= 0 || maxStreamBytes <= 0) {
            throw new IllegalArgumentException("archive limits must be positive");
        }
    }

    /** Limits on entries and held bytes; headers as by default, the stream bounded by the held bytes plus tar overhead. */
    public ArchiveLimits(int maxEntries, long maxEntryBytes, long maxTotalBytes) {
        this(maxEntries, maxEntryBytes, maxTotalBytes, DEFAULT_HEADER_BYTES, streamBound(maxEntries, maxTotalBytes));
    }

    /** Held bytes, plus per entry a header, a PAX header and padding (4 blocks of 512 bytes). */
    private static long streamBound(int maxEntries, long maxTotalBytes) {
        long overhead = 2048L * maxEntries;
        return maxTotalBytes > Long.MAX_VALUE - overhead ? Long.MAX_VALUE : maxTotalBytes + overhead;
    }
}

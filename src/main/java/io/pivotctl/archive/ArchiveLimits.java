package io.pivotctl.archive;

/**
 * Bounds for reading untrusted archives, so a hostile or corrupt file cannot exhaust memory or run for long
 * (formats/pivot-archive-v1.md, limits). The defaults hold with {@code -Xmx256m} and leave a margin over a
 * 5000-host fleet (66,519 entries, a 110 MB manifest, 180 MB of content, see the README's performance section):
 * <ul>
 * <li>{@code maxEntries}: tar entries of any kind;
 * <li>{@code maxEntryBytes}: one entry read whole (every entry but the manifest, which is streamed);
 * <li>{@code maxTotalBytes}: everything held in memory. Commands read archives as a stream and hold what they
 * keep compactly (see {@link HeldBudget}: deflated object bodies, per-object state, the parsed manifest), never
 * more than 1/{@link HeldBudget#HELD_HEAP_SHARE} of the heap; {@link ArchiveReader#read} (tests, small archives)
 * holds raw entry contents plus their names, never more than 1/{@link #HEAP_SHARE} of the heap;
 * <li>{@code maxHeaderBytes}: one GNU long name/link or PAX header, and all PAX global headers together;
 * <li>{@code maxStreamBytes}: the tar stream read, after decompression (skipped entries, headers, padding).
 * </ul>
 */
public record ArchiveLimits(int maxEntries, long maxEntryBytes, long maxTotalBytes, long maxHeaderBytes, long maxStreamBytes) {

    public static final long DEFAULT_HEADER_BYTES = 64L << 10;
    /** Held bytes may be at most this fraction (1/n) of the maximum heap. */
    public static final int HEAP_SHARE = 5;

    /**
     * A 5000-host fleet: 66,519 entries, about 250 MB of tar stream once decompressed, 60 MB held compactly by a
     * streamed read (its 110 MB manifest is never held whole).
     */
    public static final ArchiveLimits DEFAULT = new ArchiveLimits(250_000, 64L << 20, 128L << 20, DEFAULT_HEADER_BYTES, 1L << 30);

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

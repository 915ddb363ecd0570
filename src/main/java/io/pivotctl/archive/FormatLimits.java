package io.pivotctl.archive;

/**
 * The format's hard limits (formats/pivot-archive-v1.md section 1.1): far above any real fleet (a 5,000-host site has
 * 66,519 entries, strings of a few hundred characters, JSON four levels deep), always reached by a file built to exhaust
 * memory. They hold whatever heap the reader has; what a read may hold is bounded separately by its {@link HeldBudget}.
 */
public final class FormatLimits {

    /** Elements of one JSON array: the manifest's entries and secrets, and any other array but the two below. */
    public static final int MAX_ELEMENTS = 2_000_000;
    /** Elements of {@code graph.edges} and {@code graph.dangling}: an object has a few edges. */
    public static final int MAX_EDGES = 8_000_000;
    /** Characters of one JSON string or key. */
    public static final int MAX_STRING = 64 << 10;
    /** Nested JSON objects and arrays. */
    public static final int MAX_DEPTH = 64;
    /** Characters of one JSON number. */
    public static final int MAX_NUMBER = 64;
    /** Characters of one tar entry name: Linux's PATH_MAX; an archive path is at most about 700. */
    public static final int MAX_ENTRY_NAME = 4096;
    /** Bytes of {@code summary.json}: a few KB for a fleet, read by a ranged read of the object's beginning. */
    public static final int MAX_SUMMARY_BYTES = 1 << 20;
    /** Bytes of {@code manifest.json.sig}: about 100. */
    public static final int MAX_SIGNATURE_BYTES = 4 << 10;

    private FormatLimits() {
    }
}

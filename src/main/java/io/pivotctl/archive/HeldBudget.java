package io.pivotctl.archive;

import io.pivotctl.PivotctlException;

/**
 * What reading an archive holds in memory, checked as it grows: never more than a fixed limit, nor more than a share
 * of this JVM's maximum heap (the rest is for parsing, checking and the command's own work). Over either, the read
 * stops with one line naming the fix.
 */
public final class HeldBudget {

    /** Raw entry bytes held whole (small archives, tests) may take 1/n of the heap: parsing them needs several times their size. */
    public static final int RAW_HEAP_SHARE = ArchiveLimits.HEAP_SHARE;
    /** What a streamed read keeps (compact bodies, per-object state, the parsed manifest) may take 1/n of the heap. */
    public static final int HELD_HEAP_SHARE = 2;

    private final long limit;
    private final int share;
    private final long maxHeap;
    private final long heapShare;
    private final String what;
    private long total;

    public HeldBudget(long limit, int share, String what) {
        this(limit, share, what, Runtime.getRuntime().maxMemory());
    }

    HeldBudget(long limit, int share, String what, long maxHeap) {
        this.limit = limit;
        this.share = share;
        this.what = what;
        this.maxHeap = maxHeap;
        this.heapShare = maxHeap / share;
    }

    /** A budget that only counts, for a pass that keeps nothing (the format's limits still hold it). */
    public static HeldBudget unbounded(String what) {
        return new HeldBudget(Long.MAX_VALUE, 1, what, Long.MAX_VALUE);
    }

    public void add(long bytes) {
        total += bytes;
        if (total > limit) {
            throw PivotctlException.invalid(what + " exceeds the limit of " + limit + " bytes");
        }
        if (total > heapShare) {
            throw PivotctlException.invalid(what + " exceeds " + heapShare + " bytes, 1/" + share + " of this JVM's maximum heap ("
                    + (maxHeap >> 20) + " MiB), the most it may hold while parsing: run with a larger heap (PIVOTCTL_JAVA_OPTS=-Xmx"
                    + suggestedHeapGib() + "g)");
        }
    }

    /** Bytes accounted so far. */
    public long total() {
        return total;
    }

    /** A heap that lets the whole limit be held. */
    private long suggestedHeapGib() {
        return Math.max(1, (limit * share + (1L << 30) - 1) >> 30);
    }
}

package io.pivotctl.diff;

/** How something differs between archive A and archive B. */
public enum Change {
    /** Only in B. */
    ADDED,
    /** Only in A. */
    REMOVED,
    /** In both, different. */
    CHANGED
}

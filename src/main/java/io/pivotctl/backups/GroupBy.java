package io.pivotctl.backups;

/**
 * How {@code backups prune} groups archives before applying retention, as restic's {@code forget --group-by}:
 * per source cluster and selection (several management clusters sharing one prefix keep their own history), or
 * all together.
 */
public enum GroupBy {
    /** One history per source cluster id plus selection (namespaces, clusters). */
    SOURCE,
    /** Every archive in one history. */
    NONE
}

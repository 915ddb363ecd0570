package io.pivotctl.restore;

/** What import does with an object that already exists on the target. */
public enum ConflictPolicy {
    /** Stop before writing anything (preflight lists every conflict). */
    FAIL,
    /** Leave the existing object as it is. */
    SKIP,
    /** Replace its spec and status with the archived ones (undone by rollback). */
    UPDATE
}

package io.pivotctl.verify;

/** One way the target differs from the archive. {@code detail} names fields, never values. */
public record Difference(String object, Kind kind, String detail) {

    public enum Kind { MISSING, SPEC, METADATA, STATUS, OWNER, SECRET_DATA, LEASES, NOT_SERVED, TERMINATING, PAUSED }
}

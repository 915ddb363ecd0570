package io.pivotctl;

/** The documented exit codes of every pivotctl command. Scripts rely on these numbers. */
public enum Outcome {
    /** Success. */
    OK(0),
    /** The operation failed (cluster error, I/O error, rolled-back import). */
    FAILED(1),
    /** Bad command line. */
    USAGE(2),
    /** The archive, its key, or the preflight against the target is invalid; nothing was changed. */
    INVALID(3),
    /** {@code verify} found differences between the archive and the cluster. */
    DIFFERENCES(4);

    private final int exitCode;

    Outcome(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}

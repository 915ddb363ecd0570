package io.pivotctl;

/**
 * A failure the user must act on. The message is one line that names the problem (and the object,
 * when there is one) and never contains secret material; {@link #outcome()} decides the exit code.
 */
public class PivotctlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Outcome outcome;

    public PivotctlException(Outcome outcome, String message) {
        super(message);
        this.outcome = outcome;
    }

    public PivotctlException(Outcome outcome, String message, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
    }

    public Outcome outcome() {
        return outcome;
    }

    public static PivotctlException invalid(String message) {
        return new PivotctlException(Outcome.INVALID, message);
    }

    public static PivotctlException failed(String message) {
        return new PivotctlException(Outcome.FAILED, message);
    }

    public static PivotctlException usage(String message) {
        return new PivotctlException(Outcome.USAGE, message);
    }
}

package io.pivotctl;

import java.util.List;

/**
 * A failure the user must act on. The message is one line that names the problem (and the object,
 * when there is one) and never contains secret material; {@link #outcome()} decides the exit code.
 */
public class PivotctlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Outcome outcome;
    private final List<String> details;

    public PivotctlException(Outcome outcome, String message) {
        this(outcome, message, List.of());
    }

    /** A failure with every problem found listed in {@code details} (printed one per line under the message). */
    public PivotctlException(Outcome outcome, String message, List<String> details) {
        super(message);
        this.outcome = outcome;
        this.details = List.copyOf(details);
    }

    public PivotctlException(Outcome outcome, String message, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
        this.details = List.of();
    }

    public List<String> details() {
        return details;
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

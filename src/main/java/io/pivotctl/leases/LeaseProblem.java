package io.pivotctl.leases;

/** A problem in a lease file, located by line (0 when it concerns the whole file). */
public record LeaseProblem(int line, String message) {

    @Override
    public String toString() {
        return line > 0 ? "line " + line + ": " + message : message;
    }
}

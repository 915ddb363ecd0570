package io.pivotctl.cli;

/** Process entry point: runs the command line and exits with its documented exit code. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(PivotctlCommand.run(args));
    }
}

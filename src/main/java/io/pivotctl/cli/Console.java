package io.pivotctl.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** Where commands write: results on stdout, progress and warnings on stderr (silenced by -q). */
final class Console {

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean quiet;

    Console(CommandSpec spec, boolean quiet) {
        this.out = spec.commandLine().getOut();
        this.err = spec.commandLine().getErr();
        this.quiet = quiet;
    }

    void result(String line) {
        out.println(line);
        out.flush();
    }

    void progress(String line) {
        if (!quiet) {
            err.println(line);
            err.flush();
        }
    }

    /** -v output: shown even with -q (the user asked for it explicitly). */
    void trace(String line) {
        err.println(line);
        err.flush();
    }

    void warning(String line) {
        err.println("warning: " + line);
        err.flush();
    }

    PrintWriter out() {
        return out;
    }
}

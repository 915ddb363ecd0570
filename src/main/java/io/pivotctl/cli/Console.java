package io.pivotctl.cli;

import java.io.PrintWriter;

/** Where commands write: results on stdout, progress (silenced by -q) and warnings on stderr. */
final class Console {

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean quiet;

    /** Made by {@link ConsoleOptions#console()} only. */
    Console(PrintWriter out, PrintWriter err, boolean quiet) {
        this.out = out;
        this.err = err;
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

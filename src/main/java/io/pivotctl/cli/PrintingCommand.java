package io.pivotctl.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A command that prints a result: it takes {@code -q} and {@code -o table|json}, and runs with the console those
 * options make. By the time {@link #run(Console)} is called picocli has completed the options and every
 * {@link OptionCheck} has passed (see {@link PivotctlCommand}), so a command only runs.
 */
abstract class PrintingCommand implements Callable<Integer> {

    /** Where -q and -o go in the help of a command that lists its options in declaration order: after its own. */
    static final int LAST_IN_HELP = 1000;

    @Mixin
    ConsoleOptions consoleOptions;

    @Mixin
    OutputFormat format;

    @Override
    public final Integer call() {
        return run(consoleOptions.console());
    }

    /** Does the work and prints the result through {@link #format}; returns the exit code. */
    abstract int run(Console console);
}

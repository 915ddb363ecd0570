package io.pivotctl.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code -q}, and the one way a command gets its {@link Console}: results on stdout, progress and warnings on stderr. */
final class ConsoleOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = {"-q", "--quiet"}, order = PrintingCommand.LAST_IN_HELP, description = "No progress output (results, warnings and errors are still printed).")
    boolean quiet;

    private Console console;

    Console console() {
        if (console == null) {
            console = new Console(command.commandLine().getOut(), command.commandLine().getErr(), quiet);
        }
        return console;
    }

    /** The console options of {@code command}; every command that prints through a console has them. */
    static ConsoleOptions of(CommandSpec command) {
        return Mixins.of(command, ConsoleOptions.class).orElseThrow(() -> new IllegalStateException(command.qualifiedName() + " has no ConsoleOptions mixin"));
    }
}

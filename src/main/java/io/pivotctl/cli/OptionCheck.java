package io.pivotctl.cli;

import io.pivotctl.PivotctlException;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command in Velero's three steps: picocli completes the options (defaults, converters, exclusive groups), every
 * {@code OptionCheck} among the command and its mixins validates them, and only then does the command run. A check
 * reads no file and touches no cluster, so a usage error (exit 2) never follows a half-done read.
 */
interface OptionCheck {

    /** Throws {@link PivotctlException#usage} naming options that do not go together. */
    default void check() {
    }

    /** One line per old spelling in use, naming the new one (printed once, on stderr, before the checks). */
    default List<String> deprecations() {
        return List.of();
    }

    /**
     * Runs the checks of {@code command} (its mixins first, in declaration order, then the command): deprecation lines
     * on its console, then each check; a failed check is a usage error reported as picocli reports its own.
     */
    static void before(CommandSpec command) {
        List<OptionCheck> checks = Stream.concat(command.mixins().values().stream().map(CommandSpec::userObject), Stream.of(command.userObject()))
                .filter(OptionCheck.class::isInstance).map(OptionCheck.class::cast).toList();
        List<String> deprecated = checks.stream().flatMap(c -> c.deprecations().stream()).toList();
        if (!deprecated.isEmpty()) {
            Console console = ConsoleOptions.of(command).console();
            deprecated.forEach(line -> console.warning(line));
        }
        try {
            checks.forEach(OptionCheck::check);
        } catch (PivotctlException e) {
            throw new CommandLine.ParameterException(command.commandLine(), e.getMessage());
        }
    }
}

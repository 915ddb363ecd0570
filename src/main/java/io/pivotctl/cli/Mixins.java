package io.pivotctl.cli;

import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/** Finds a command's mixin by its type: how the execution strategy reaches -v, --metrics-file and the console. */
final class Mixins {

    private Mixins() {
    }

    static <T> Optional<T> of(CommandSpec command, Class<T> type) {
        return command.mixins().values().stream().map(CommandSpec::userObject).filter(type::isInstance).map(type::cast).findFirst();
    }
}

package io.pivotctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code -o/--output}, kubectl's way: always the output format. The result goes to stdout as a table for people or
 * as JSON for scripts; progress and warnings stay on stderr either way.
 *
 * <p>export and keygen once took {@code -o FILE}; now the file is their first positional parameter. For one release a
 * value of {@code -o} there that is no format name is still taken as that file ({@link #file}), with one deprecation
 * line naming the new spelling.
 */
final class OutputFormat implements OptionCheck {

    enum Format { table, json }

    /** A command whose {@code -o} once named the file it writes, now its first positional parameter. */
    interface OldFileSpelling {
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", completionCandidates = Names.class, order = PrintingCommand.LAST_IN_HELP + 1,
            description = "Output format: table or json (default: table).")
    String value;

    Format format() {
        return parse(value).orElse(Format.table);
    }

    /** The result: {@code json} (built only when asked for) printed as JSON, or the command's {@code table}. */
    void print(Console console, Supplier<?> json, Runnable table) {
        if (format() == Format.json) {
            console.result(toJson(json.get()));
        } else {
            table.run();
        }
    }

    /** A JSON object of {@code key, value, key, value, ...}; values may be null (JSON null). Json.MAPPER writes the keys sorted. */
    static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /**
     * The file the command writes: {@code positional}, or the previous release's {@code -o FILE} read with {@code parse}
     * (a usage error naming --output when that fails); empty when neither was given, a usage error when both were.
     */
    <T> Optional<T> file(T positional, Function<String, T> parse) {
        Optional<String> old = oldFile();
        if (positional != null && old.isPresent()) {
            throw PivotctlException.usage("the " + fileLabel() + " is named twice, as " + fileLabel() + " and as -o FILE: give it once, as "
                    + fileLabel());
        }
        if (positional != null || old.isEmpty()) {
            return Optional.ofNullable(positional);
        }
        try {
            return Optional.of(parse.apply(old.get()));
        } catch (PivotctlException e) {
            throw PivotctlException.usage("Invalid value for option '--output': " + e.getMessage());
        }
    }

    private Optional<String> oldFile() {
        return value != null && parse(value).isEmpty() && command.userObject() instanceof OldFileSpelling ? Optional.of(value) : Optional.empty();
    }

    private String fileLabel() {
        return command.positionalParameters().get(0).paramLabel();
    }

    @Override
    public void check() {
        if (value != null && parse(value).isEmpty() && !(command.userObject() instanceof OldFileSpelling)) {
            throw PivotctlException.usage("--output wants a format: table or json");
        }
    }

    @Override
    public List<String> deprecations() {
        return oldFile().map(f -> List.of("'" + command.name() + " -o FILE' is deprecated and goes away in the next release: write '"
                + command.name() + " " + fileLabel() + "' (-o is the output format, table or json)")).orElse(List.of());
    }

    private static Optional<Format> parse(String text) {
        return text == null ? Optional.empty()
                : Arrays.stream(Format.values()).filter(f -> f.name().equals(text.toLowerCase(Locale.ROOT))).findFirst();
    }

    private static String toJson(Object value) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Shell completion offers the format names. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Format.values()).map(Enum::name).iterator();
        }
    }
}

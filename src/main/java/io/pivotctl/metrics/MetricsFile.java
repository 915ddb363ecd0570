package io.pivotctl.metrics;

import io.pivotctl.PivotctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's outcome in the Prometheus text format, for node_exporter's textfile collector: written to a temp file in
 * the same directory and renamed, so the collector never reads half a file. The last success timestamp survives a
 * failed run (it is read back from the previous file), which is what an "oldest good backup" alert needs.
 */
public final class MetricsFile {

    /** What one run did. {@code success} false still reports duration and the previous success time. */
    public record Run(String command, boolean success, long startedEpochMillis, long durationMillis, long objects, long secrets, long bytes) {
    }

    private MetricsFile() {
    }

    public static void write(Path file, Run run) {
        String cmd = run.command();
        OptionalDouble lastSuccess = run.success() ? OptionalDouble.of((run.startedEpochMillis() + run.durationMillis()) / 1000.0)
                : previousSuccess(file, cmd);
        StringBuilder b = new StringBuilder();
        gauge(b, "pivotctl_last_success_timestamp_seconds", "Unix time the last successful run finished.", cmd,
                lastSuccess.isPresent() ? lastSuccess.getAsDouble() : 0);
        gauge(b, "pivotctl_last_run_timestamp_seconds", "Unix time the last run finished.", cmd, (run.startedEpochMillis() + run.durationMillis()) / 1000.0);
        gauge(b, "pivotctl_last_run_success", "1 when the last run succeeded, 0 when it failed.", cmd, run.success() ? 1 : 0);
        gauge(b, "pivotctl_last_run_duration_seconds", "How long the last run took.", cmd, run.durationMillis() / 1000.0);
        gauge(b, "pivotctl_last_run_objects", "Objects the last run exported, imported or (prune) archives it considered.", cmd, run.objects());
        gauge(b, "pivotctl_last_run_secrets", "Secrets the last run encrypted or restored.", cmd, run.secrets());
        gauge(b, "pivotctl_last_run_bytes", "Archive bytes written (export), read (import) or deleted (prune).", cmd, run.bytes());
        Path dir = file.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(temp, b.toString(), StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw PivotctlException.failed("cannot write metrics file " + file + ": " + e.getMessage());
        }
    }

    private static void gauge(StringBuilder b, String name, String help, String command, double value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        b.append(name).append("{command=\"").append(command).append("\"} ");
        b.append(value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3f", value));
        b.append('\n');
    }

    static OptionalDouble previousSuccess(Path file, String command) {
        try {
            Matcher m = Pattern.compile("^pivotctl_last_success_timestamp_seconds\\{command=\"" + Pattern.quote(command) + "\"} (\\S+)$",
                    Pattern.MULTILINE).matcher(Files.readString(file, StandardCharsets.UTF_8));
            return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
        } catch (NoSuchFileException none) {
            return OptionalDouble.empty();
        } catch (IOException | NumberFormatException unreadable) {
            return OptionalDouble.empty();
        }
    }
}

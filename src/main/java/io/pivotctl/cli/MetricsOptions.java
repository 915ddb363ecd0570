package io.pivotctl.cli;

import io.pivotctl.metrics.MetricsFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-file PATH}. The command records its counts; {@link PivotctlCommand} writes the file after the
 * command ends, successfully or not, so a failed run still updates result and duration.
 */
final class MetricsOptions {

    @Option(names = "--metrics-file", paramLabel = "PATH",
            description = "Write the run's outcome in Prometheus text format (node_exporter textfile collector), atomically.")
    Path file;

    private long objects;
    private long secrets;
    private long bytes;

    void record(long objectCount, long secretCount, long byteCount) {
        this.objects = objectCount;
        this.secrets = secretCount;
        this.bytes = byteCount;
    }

    void write(String command, boolean success, long startedMillis, long durationMillis) {
        if (file != null) {
            MetricsFile.write(file, new MetricsFile.Run(command, success, startedMillis, durationMillis, objects, secrets, bytes));
        }
    }
}

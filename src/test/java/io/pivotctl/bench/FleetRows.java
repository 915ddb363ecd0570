package io.pivotctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.Json;
import io.pivotctl.bench.BenchReport.Row;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The rows of one fleet size as they are measured: every command's output goes to {@code dir}, every result becomes a row. */
final class FleetRows {

    private final int hosts;
    private final int objects;
    private final Path dir;
    private final List<Row> rows = new ArrayList<>();

    FleetRows(int hosts, int objects, Path dir) {
        this.hosts = hosts;
        this.objects = objects;
        this.dir = dir;
    }

    /** Runs a pivotctl command under /usr/bin/time -v as row {@code key}; its stdout is left in {@link #out}. */
    Measured pivotctl(String key, List<String> cmd) throws IOException, InterruptedException {
        return add(key, Command.run(cmd, dir, key, true));
    }

    /**
     * Runs a pivotctl verify (-o json) as row {@code key} and requires its report to find the target equal, so a fast
     * but wrong import cannot score; returns the objects it checked.
     */
    int verify(String key, List<String> cmd) throws IOException, InterruptedException {
        add(key, Command.run(cmd, dir, key, true, Bench.VERIFY_DIFFERENCES));
        JsonNode report = Json.MAPPER.readTree(out(key).toFile());
        Bench.requireEqual(report);
        return report.path("objectsChecked").asInt();
    }

    /** A row the harness measured itself (a baseline). */
    Measured add(String key, Measured m) {
        rows.add(Row.of(hosts, objects, key, m));
        return m;
    }

    Path out(String key) {
        return Command.out(dir, key);
    }

    Path dir() {
        return dir;
    }

    int objects() {
        return objects;
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }
}

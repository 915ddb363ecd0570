package io.pivotctl.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What release-source did to the source, one JSON line per write, appended before the next one: names and UIDs
 * only. A re-run appends to the same file, so it tells objects this tool deleted from objects someone else removed.
 * Mode 0600 in a 0700 directory, next to import's journals.
 */
public final class ReleaseJournal implements AutoCloseable {

    /** {@code op}: begin, detach, detached, delete, timeout, finish. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Record(String op, String id, String uid, String time) {
    }

    private final Path path;
    private final OutputStream out;

    private ReleaseJournal(Path path, OutputStream out) {
        this.path = path;
        this.out = out;
    }

    /** ~/.pivotctl/journal/release-&lt;archiveId&gt;-&lt;sourceClusterId&gt;.jsonl (PIVOTCTL_HOME or -Dpivotctl.home moves ~/.pivotctl). */
    public static Path pathFor(String archiveId, String sourceClusterId) {
        String home = System.getProperty("pivotctl.home", System.getenv("PIVOTCTL_HOME"));
        Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".pivotctl");
        return base.resolve("journal").resolve("release-" + archiveId + "-" + sourceClusterId + ".jsonl");
    }

    /** The records of earlier runs (empty when none); a line cut by a crash is skipped, later runs' lines still count. */
    public static List<Record> read(Path path) {
        List<Record> records = new ArrayList<>();
        if (!Files.exists(path)) {
            return records;
        }
        try {
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    records.add(Json.MAPPER.readValue(line, Record.class));
                } catch (IOException cut) {
                    // a crash mid-line; the next run appended after it
                }
            }
        } catch (IOException e) {
            throw PivotctlException.failed("cannot read release journal " + path + ": " + e.getMessage());
        }
        return records;
    }

    /** Opens the journal for appending, creating it (0600, directory 0700) when this is the first run. */
    public static ReleaseJournal open(Path path) {
        try {
            Files.createDirectories(path.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (!Files.exists(path)) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            return new ReleaseJournal(path, Files.newOutputStream(path, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw PivotctlException.failed("cannot open release journal " + path + ": " + e.getMessage());
        }
    }

    public synchronized void append(String op, String id, String uid) {
        Record r = new Record(op, id, uid, Instant.now().toString());
        try {
            out.write((Json.toJson(r) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw PivotctlException.failed("cannot write release journal " + path + ": " + e.getMessage());
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // nothing more to write
        }
    }
}

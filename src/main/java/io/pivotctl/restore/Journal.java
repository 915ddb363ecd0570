package io.pivotctl.restore;

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
 * The import journal: one JSON line per change made to the target, written before the next change,
 * so a crashed or interrupted import can be rolled back or resumed. It names objects and UIDs only,
 * never their content. File mode 0600.
 */
public final class Journal implements AutoCloseable {

    /** One change. {@code op}: begin (id: the run id), namespace, crd, create, status, update, finish. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Record(String op, String id, String resource, String oldUid, String newUid, Integer level, String time) {
    }

    private final Path path;
    private final OutputStream out;
    private final List<Record> records = new ArrayList<>();
    private final String runId;

    private Journal(Path path, OutputStream out, List<Record> existing, String runId) {
        this.path = path;
        this.out = out;
        this.records.addAll(existing);
        this.runId = runId;
    }

    /** ~/.pivotctl/journal/&lt;archiveId&gt;-&lt;targetClusterId&gt;.jsonl (PIVOTCTL_HOME or -Dpivotctl.home overrides ~/.pivotctl). */
    public static Path pathFor(String archiveId, String targetClusterId) {
        String home = System.getProperty("pivotctl.home", System.getenv("PIVOTCTL_HOME"));
        Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".pivotctl");
        return base.resolve("journal").resolve(archiveId + "-" + targetClusterId + ".jsonl");
    }

    /** A new journal; refuses when one exists (an earlier import did not finish: --resume, or delete it after checking). */
    public static Journal create(Path path) {
        try {
            Files.createDirectories(path.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (Files.exists(path)) {
                throw PivotctlException.failed("an earlier import of this archive into this cluster left journal " + path
                        + ": run again with --resume to finish it, or delete the journal after checking the target");
            }
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Journal journal = new Journal(path, Files.newOutputStream(path, StandardOpenOption.APPEND), List.of(),
                    java.util.UUID.randomUUID().toString());
            journal.append("begin", journal.runId, null, null, null, null);
            return journal;
        } catch (IOException e) {
            throw PivotctlException.failed("cannot create import journal " + path + ": " + e.getMessage());
        }
    }

    /** Reopens an existing journal to resume. */
    public static Journal resume(Path path) {
        if (!Files.exists(path)) {
            throw PivotctlException.usage("--resume: no journal " + path + " (nothing to resume for this archive and target)");
        }
        try {
            List<Record> existing = new ArrayList<>();
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    try {
                        existing.add(Json.MAPPER.readValue(line, Record.class));
                    } catch (IOException partial) {
                        // a line cut by a crash: everything before it is intact
                        break;
                    }
                }
            }
            String runId = existing.stream().filter(r -> "begin".equals(r.op())).map(Record::id).findFirst().orElse(null);
            return new Journal(path, Files.newOutputStream(path, StandardOpenOption.APPEND), existing, runId);
        } catch (IOException e) {
            throw PivotctlException.failed("cannot read import journal " + path + ": " + e.getMessage());
        }
    }

    public synchronized void append(String op, String id, String resource, String oldUid, String newUid, Integer level) {
        Record r = new Record(op, id, resource, oldUid, newUid, level, Instant.now().toString());
        try {
            out.write((Json.toJson(r) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw PivotctlException.failed("cannot write import journal " + path + ": " + e.getMessage());
        }
        records.add(r);
    }

    public synchronized List<Record> records() {
        return List.copyOf(records);
    }

    /**
     * This import run's id (the first record): every object the run creates carries it in the label
     * {@link Markers#IMPORT_RUN}, so a create the server made but never confirmed is still found. Null for journals
     * written before run ids existed.
     */
    public String runId() {
        return runId;
    }

    public Path path() {
        return path;
    }

    public boolean finished() {
        return records().stream().anyMatch(r -> "finish".equals(r.op()));
    }

    /** Removes the journal after a complete import or a complete rollback. */
    public void delete() {
        close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // leaving a finished journal behind is harmless
        }
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

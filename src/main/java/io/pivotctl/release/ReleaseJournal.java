package io.pivotctl.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pivotctl.Json;
import io.pivotctl.JournalLock;
import io.pivotctl.PivotctlException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
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
 * only. A re-run appends to the same file, so it tells objects this tool deleted (or hosts it detached) from objects
 * someone else removed. Mode 0600 in a 0700 directory, next to import's journals.
 *
 * <p>Locked like the import journal: a run holds an exclusive lock from before it reads the earlier records until it
 * ends, so two releases of one archive never work on one source at once (the second is refused naming the holder,
 * from the last {@code open} line); a plan reads it under a shared lock. A line cut by a crash is dropped when the
 * next run opens the file, so what it appends starts on a line of its own.
 */
public final class ReleaseJournal implements AutoCloseable {

    /** {@code op}: open (id: the holder), begin, detach, detached, delete, timeout, interrupted, finish. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Record(String op, String id, String uid, String time) {
    }

    private final Path path;
    private final FileChannel out;
    private final FileLock lock;
    private final List<Record> earlier;

    private ReleaseJournal(Path path, FileChannel out, FileLock lock, List<Record> earlier) {
        this.path = path;
        this.out = out;
        this.lock = lock;
        this.earlier = List.copyOf(earlier);
    }

    /** ~/.pivotctl/journal/release-&lt;archiveId&gt;-&lt;sourceClusterId&gt;.jsonl (PIVOTCTL_HOME or -Dpivotctl.home moves ~/.pivotctl). */
    public static Path pathFor(String archiveId, String sourceClusterId) {
        String home = System.getProperty("pivotctl.home", System.getenv("PIVOTCTL_HOME"));
        Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".pivotctl");
        return base.resolve("journal").resolve("release-" + archiveId + "-" + sourceClusterId + ".jsonl");
    }

    /**
     * The records of earlier runs, read under a shared lock (empty when there is no journal; nothing is created):
     * refused while a run holds the journal.
     */
    public static List<Record> readShared(Path path) {
        if (!Files.exists(path)) {
            return List.of();
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            FileLock lock = lockOrRefuse(ch, path, true);
            try {
                return parse(Files.readAllLines(path, StandardCharsets.UTF_8));
            } finally {
                lock.release();
            }
        } catch (IOException e) {
            throw PivotctlException.failed("cannot read release journal " + path + ": " + e.getMessage());
        }
    }

    /**
     * Opens the journal for a run, creating it (0600, directory 0700) when this is the first: takes the lock, then
     * reads the earlier records ({@link #records()}), cuts a torn last line, and appends an {@code open} line naming
     * this process. Refused while another run holds it.
     */
    public static ReleaseJournal open(Path path) {
        try {
            Files.createDirectories(path.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (!Files.exists(path)) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            FileLock lock = lockOrRefuse(ch, path, false);
            List<Record> earlier = parse(Files.readAllLines(path, StandardCharsets.UTF_8));
            dropTornTail(path, ch);
            ReleaseJournal journal = new ReleaseJournal(path, ch, lock, earlier);
            journal.append("open", JournalLock.holder(), null);
            return journal;
        } catch (IOException e) {
            throw PivotctlException.failed("cannot open release journal " + path + ": " + e.getMessage());
        }
    }

    /** What earlier runs wrote, read under this run's lock. */
    public List<Record> records() {
        return earlier;
    }

    public synchronized void append(String op, String id, String uid) {
        Record r = new Record(op, id, uid, Instant.now().toString());
        try {
            ByteBuffer line = ByteBuffer.wrap((Json.toJson(r) + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                out.write(line);
            }
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
            if (lock.isValid()) {
                lock.release();
            }
            out.close();
        } catch (IOException e) {
            // nothing more to write
        }
    }

    /** Whole lines only: a line cut by a crash is skipped, the lines of later runs still count. */
    private static List<Record> parse(List<String> lines) {
        List<Record> records = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(Json.MAPPER.readValue(line, Record.class));
            } catch (IOException cut) {
                // a crash mid-line
            }
        }
        return records;
    }

    private static void dropTornTail(Path path, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) {
            return;
        }
        byte[] bytes = Files.readAllBytes(path);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length) {
            ch.truncate(end);
        }
    }

    private static FileLock lockOrRefuse(FileChannel ch, Path path, boolean shared) throws IOException {
        return JournalLock.lockOrRefuse(ch, path, shared, "release journal", () -> {
            try {
                return parse(Files.readAllLines(path, StandardCharsets.UTF_8)).stream().filter(r -> "open".equals(r.op())).reduce((a, b) -> b)
                        .map(Record::id);
            } catch (IOException e) {
                return java.util.Optional.empty();
            }
        });
    }
}

package io.pivotctl.restore;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.pivotctl.Json;
import io.pivotctl.JournalLock;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.vocabulary.PivotctlMarks;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The import journal: one JSON line per change made to the target, so a crashed or interrupted import can be
 * rolled back or resumed. It names objects and UIDs only, never their content. File mode 0600. While a run uses
 * it, the file is locked: a second run on the same journal is refused with the holder's name (the last
 * {@link Op#OPEN} line).
 *
 * <p><b>Durability (group commit).</b> Every line is written to the file (the OS holds it: a killed process loses
 * nothing) before the caller goes on; only the fsync that makes it outlive a power cut is shared. Lines come in two
 * kinds:
 * <ul>
 * <li><em>Must be durable before the next server write</em>: {@code begin}/{@code open} (the run id every created
 * object is labelled with: without it nothing could find them), {@code namespace}, {@code crd}, {@code update},
 * creates of objects outside the archive (the leases ConfigMap), creates of a run without a run id (journals of
 * older versions), {@code applied} (after it the run only moves forward), {@code rollback} and {@code finish}.
 * The caller waits until an fsync covers its line. Callers waiting at the same time share one fsync: the first
 * one forces everything written so far, the others find their line already covered (leader/follower).</li>
 * <li><em>May be lost in a power cut</em>: {@code create} of an archived object and {@code status}. Losing them
 * is the same as losing the server's answer, which import already survives: every such object carries the
 * {@link PivotctlMarks#IMPORT_RUN} label with the run id, so rollback's sweep and --resume's preflight (which adopts
 * labelled objects) find it, with its UID, from the target itself; a lost {@code status} line only makes --resume
 * write the same status again. These lines are forced at most every {@link #GROUP_COMMIT_MILLIS} ms by whichever
 * writer comes by first, so what a power cut can take is a few milliseconds of creates, never a run id.</li>
 * </ul>
 * Whatever the kind, an fsync covers every line written before it, so a durable line never follows a lost one: the
 * file a crash leaves is a prefix of what was written (a torn last line is cut, see {@link #read}). Swept objects
 * are deleted before journaled ones: they are the newest creates, so they own nothing journaled; should one own a
 * journaled object anyway, the garbage collector takes that dependent and its own delete finds it gone. Every
 * delete carries the UID precondition, so the sweep only ever removes what this run created.
 */
public final class Journal implements AutoCloseable {

    /** The kinds of line. Written in lower case, so the file stays readable: {@code {"op":"create",...}}. */
    public enum Op {
        /** First line: id is the run id. */
        BEGIN,
        /** A run opened the journal: id names the holder (pid, host, time). */
        OPEN,
        /** A namespace this run created (id: its name, newUid: its UID). */
        NAMESPACE,
        /** A CRD this run created (id: its name, newUid: its UID); only ever after the create answered 201. */
        CRD,
        /** An object this run created. */
        CREATE,
        /** The archived status was written onto a created object. */
        STATUS,
        /** An existing object this run updated (--on-conflict update). */
        UPDATE,
        /** A rollback began: from here on only --rollback may continue this journal. */
        ROLLBACK,
        /** Every level is applied: from here on the import finishes forward (unpause), it is never rolled back. */
        APPLIED,
        /** The import is complete. */
        FINISH;

        @JsonValue
        String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        static Op of(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }
    }

    /** One line (written with the time it was written, for people reading the file; the time is not read back). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Record(Op op, String id, String resource, String oldUid, String newUid, Integer level) {

        /** A line that names no object: the run's start (id: the run id), an opening (id: who opened it), or a step. */
        static Record mark(Op op, String id) {
            return new Record(op, id, null, null, null, null);
        }

        /** The object a CREATE/STATUS/UPDATE line names. */
        ObjectId objectId() {
            return EntryPaths.parseId(id);
        }
    }

    /** What a journal says an interrupted run did: the state --resume continues from. */
    record State(Set<ObjectId> created, Set<ObjectId> statusWritten, Set<ObjectId> updated, Map<String, String> uids, boolean applied,
            boolean rollbackStarted) {
    }

    private final Path path;
    private final FileChannel out;
    private final FileChannel dir;
    private final FileLock lock;
    private final List<Record> records = new ArrayList<>();
    private final String runId;
    /** Kept by an earlier run and opened again (--resume, --rollback), not created by this one. */
    private final boolean reopened;
    /** Lines written (guarded by this) and lines an fsync covers. */
    private long written;
    private volatile long forced;
    private volatile long lastForceNanos = System.nanoTime();
    /** Held by the one writer forcing the file; the others wait for it, then usually find their line covered. */
    private final java.util.concurrent.locks.ReentrantLock forcing = new java.util.concurrent.locks.ReentrantLock();

    /** How stale the lines that may be lost can get before someone forces them. */
    static final long GROUP_COMMIT_MILLIS = 20;

    private Journal(Path path, FileChannel out, FileLock lock, List<Record> existing, String runId, boolean reopened) throws IOException {
        this.path = path;
        this.out = out;
        this.lock = lock;
        this.dir = FileChannel.open(path.getParent(), StandardOpenOption.READ);
        this.records.addAll(existing);
        this.runId = runId;
        this.reopened = reopened;
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
                refuseWhenLocked(path);
                throw PivotctlException.failed("an earlier import of this archive into this cluster left journal " + path
                        + ": run again with --resume to finish it (or --rollback to undo it)");
            }
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            FileLock lock = lockOrRefuse(ch, path, List.of());
            Journal journal = new Journal(path, ch, lock, List.of(), java.util.UUID.randomUUID().toString(), false);
            journal.append(Record.mark(Op.BEGIN, journal.runId), false);
            journal.append(Record.mark(Op.OPEN, holder()), true);
            journal.dir.force(true); // the file's name must outlive a power cut too, once
            return journal;
        } catch (IOException e) {
            throw PivotctlException.failed("cannot create import journal " + path + ": " + e.getMessage());
        }
    }

    /** Reopens an existing journal to resume or roll back; refused while another run holds it. */
    public static Journal open(Path path, String option) {
        if (!Files.exists(path)) {
            throw PivotctlException.usage(option + ": no journal " + path + " (nothing to " + option.substring(2) + " for this archive and target)");
        }
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            List<Record> existing = read(Files.readAllLines(path, StandardCharsets.UTF_8));
            FileLock lock = lockOrRefuse(ch, path, existing);
            dropTornTail(path, ch);
            String runId = existing.stream().filter(r -> r.op() == Op.BEGIN).map(Record::id).findFirst().orElse(null);
            if ("--resume".equals(option) && state(existing).rollbackStarted()) {
                lock.release();
                ch.close();
                throw PivotctlException.failed("a rollback of this import was started and cut short (journal " + path
                        + "): --resume cannot finish it; run again with --rollback to complete the rollback");
            }
            Journal journal = new Journal(path, ch, lock, existing, runId, true);
            journal.append(Record.mark(Op.OPEN, holder()), true);
            return journal;
        } catch (IOException e) {
            throw PivotctlException.failed("cannot read import journal " + path + ": " + e.getMessage());
        }
    }

    /** Parses journal lines; a last line cut by a crash (and anything after it) is ignored: everything before is intact. */
    static List<Record> read(List<String> lines) {
        List<Record> out = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(Json.MAPPER.readValue(line, Record.class));
            } catch (IOException | IllegalArgumentException torn) {
                break;
            }
        }
        return out;
    }

    /** A line cut by a crash would swallow the next one appended after it: the file is cut back to its last whole line. */
    private static void dropTornTail(Path path, FileChannel ch) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length) {
            ch.truncate(end);
            ch.force(false);
        }
    }

    /** Decodes what the run did, for --resume. */
    static State state(List<Record> records) {
        Set<ObjectId> created = new HashSet<>();
        Set<ObjectId> status = new HashSet<>();
        Set<ObjectId> updated = new HashSet<>();
        Map<String, String> uids = new HashMap<>();
        boolean applied = false;
        boolean rollback = false;
        for (Record r : records) {
            switch (r.op()) {
                case CREATE, UPDATE -> {
                    (r.op() == Op.CREATE ? created : updated).add(r.objectId());
                    if (r.oldUid() != null && !r.oldUid().isEmpty() && r.newUid() != null) {
                        uids.put(r.oldUid(), r.newUid());
                    }
                }
                case STATUS -> status.add(r.objectId());
                case APPLIED -> applied = true;
                case ROLLBACK -> rollback = true;
                default -> {
                    // begin, open, namespace, crd, finish: nothing to resume from
                }
            }
        }
        return new State(created, status, updated, uids, applied, rollback);
    }

    private static FileLock lockOrRefuse(FileChannel ch, Path path, List<Record> existing) throws IOException {
        return JournalLock.lockOrRefuse(ch, path, false, "journal",
                () -> existing.stream().filter(r -> r.op() == Op.OPEN).reduce((a, b) -> b).map(Record::id));
    }

    private static void refuseWhenLocked(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            lockOrRefuse(ch, path, read(Files.readAllLines(path, StandardCharsets.UTF_8))).release();
        }
    }

    private static String holder() {
        return JournalLock.holder();
    }

    /**
     * A create; {@code labelled}: the object carries this run's {@link PivotctlMarks#IMPORT_RUN} label, so the line may be
     * lost in a power cut (the sweep finds the object); otherwise it is durable before this returns.
     */
    void created(ObjectId id, ResourceType type, String oldUid, String newUid, int level, boolean labelled) {
        append(new Record(Op.CREATE, EntryPaths.id(id), type.qualifiedResource(), oldUid, newUid, level), !labelled || runId == null);
    }

    /** A create the server confirmed of an object labelled with this run's id (see {@link #created(ObjectId, ResourceType, String, String, int, boolean)}). */
    void created(ObjectId id, ResourceType type, String oldUid, String newUid, int level) {
        created(id, type, oldUid, newUid, level, true);
    }

    void statusWritten(ObjectId id, ResourceType type, int level) {
        append(new Record(Op.STATUS, EntryPaths.id(id), type.qualifiedResource(), null, null, level), false);
    }

    void updated(ObjectId id, ResourceType type, String oldUid, String newUid, int level) {
        append(new Record(Op.UPDATE, EntryPaths.id(id), type.qualifiedResource(), oldUid, newUid, level), true);
    }

    void namespaceCreated(String name, String uid) {
        append(new Record(Op.NAMESPACE, name, ResourceType.NAMESPACE.qualifiedResource(), null, uid, -1), true);
    }

    void crdCreated(String name, String uid) {
        append(new Record(Op.CRD, name, ResourceType.CRD.qualifiedResource(), null, uid, -1), true);
    }

    void applied() {
        append(Record.mark(Op.APPLIED, null), true);
    }

    void rollbackStarted() {
        append(Record.mark(Op.ROLLBACK, null), true);
    }

    void finish() {
        append(Record.mark(Op.FINISH, null), true);
    }

    /** Writes one line; when {@code durable}, returns only once an fsync covers it (see the class comment). */
    private void append(Record r, boolean durable) {
        com.fasterxml.jackson.databind.node.ObjectNode json = Json.MAPPER.valueToTree(r);
        json.put("time", Instant.now().toString());
        ByteBuffer line = ByteBuffer.wrap((Json.toJson(json) + "\n").getBytes(StandardCharsets.UTF_8));
        long seq;
        synchronized (this) {
            try {
                while (line.hasRemaining()) {
                    out.write(line);
                }
            } catch (IOException e) {
                throw PivotctlException.failed("cannot write import journal " + path + ": " + e.getMessage());
            }
            records.add(r);
            seq = ++written;
        }
        if (durable) {
            awaitForced(seq);
        } else if (System.nanoTime() - lastForceNanos > GROUP_COMMIT_MILLIS * 1_000_000 && forcing.tryLock()) {
            try {
                forceWritten();
            } finally {
                forcing.unlock();
            }
        }
    }

    /** Returns once an fsync covers line {@code seq}; one writer forces at a time, for everyone written so far. */
    private void awaitForced(long seq) {
        while (forced < seq) {
            forcing.lock();
            try {
                if (forced < seq) {
                    forceWritten();
                }
            } finally {
                forcing.unlock();
            }
        }
    }

    /** Called holding {@link #forcing}. */
    private void forceWritten() {
        long upTo;
        synchronized (this) {
            upTo = written;
        }
        if (forced >= upTo) {
            return;
        }
        try {
            out.force(false);
        } catch (IOException e) {
            throw PivotctlException.failed("cannot write import journal " + path + ": " + e.getMessage());
        }
        forced = upTo;
        lastForceNanos = System.nanoTime();
    }

    /** Lines written but not yet covered by an fsync (what a power cut could take now). */
    long unforced() {
        synchronized (this) {
            return written - forced;
        }
    }

    public synchronized List<Record> records() {
        return List.copyOf(records);
    }

    State state() {
        return state(records());
    }

    /**
     * This import run's id (the first record): every object the run creates carries it in the label
     * {@link PivotctlMarks#IMPORT_RUN}, so a create the server made but never confirmed is still found. Null for journals
     * written before run ids existed.
     */
    public String runId() {
        return runId;
    }

    public Path path() {
        return path;
    }

    /** Whether an earlier run kept this journal and it was opened again (--resume, --rollback), rather than created now. */
    boolean reopened() {
        return reopened;
    }

    /** Removes the journal after a complete import or a complete rollback. */
    public void delete() {
        try {
            Files.deleteIfExists(path);
            dir.force(true);
        } catch (IOException e) {
            // leaving a finished journal behind is harmless
        }
        close();
    }

    @Override
    public void close() {
        try {
            if (out.isOpen()) {
                forcing.lock();
                try {
                    forceWritten(); // what may be lost in a power cut is kept once the run ends
                } catch (PivotctlException e) {
                    // closing after a failure: the lines were written, only their fsync failed
                } finally {
                    forcing.unlock();
                }
            }
            if (lock.isValid()) {
                lock.release();
            }
            out.close();
            dir.close();
        } catch (IOException e) {
            // nothing more to write
        }
    }
}

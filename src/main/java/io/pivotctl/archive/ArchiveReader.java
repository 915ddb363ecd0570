package io.pivotctl.archive;

import io.pivotctl.Printable;
import io.pivotctl.PivotctlException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Reads an untrusted archive into memory without extracting anything to disk. Only regular file
 * entries with safe, unique names are accepted (commons-compress {@code isFile()} is also true for
 * hard links and devices, so the type flag is checked). Entry count, entry size and total size are
 * bounded. Structural damage (not a tar, truncated, corrupt compression) is fatal; unsafe entries are
 * collected as problems so a report can list all of them.
 */
public final class ArchiveReader {

    private ArchiveReader() {
    }

    /** {@link #read(InputStream, ArchiveLimits)} of a local file. */
    public static ArchiveContents read(Path file, ArchiveLimits limits) {
        try (InputStream raw = Files.newInputStream(file)) {
            return read(raw, limits);
        } catch (NoSuchFileException e) {
            throw PivotctlException.invalid("archive " + file + " does not exist");
        } catch (IOException e) {
            throw PivotctlException.invalid("cannot read archive " + file + ": " + oneLine(e));
        }
    }

    /**
     * Reads every entry into memory: for tests and tools that want the raw bytes of a small archive. Commands read
     * archives with {@link #scan}, which holds one entry at a time.
     */
    public static ArchiveContents read(InputStream raw, ArchiveLimits limits) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        byte[][] manifest = new byte[1][];
        byte[][] signature = new byte[1][];
        HeldBudget held = new HeldBudget(limits.maxTotalBytes(), HeldBudget.RAW_HEAP_SHARE, "archive content");
        List<String> problems = scan(raw, limits, held, new EntrySink() {
            @Override
            public void manifest(InputStream in, long size) throws IOException {
                if (size > limits.maxEntryBytes()) {
                    throw PivotctlException.invalid("entry '" + EntryPaths.MANIFEST + "' is " + size + " bytes, over the limit of " + limits.maxEntryBytes()
                            + " for an archive read whole");
                }
                held.add(size + EntryPaths.MANIFEST.length());
                manifest[0] = readFully(in, (int) size, EntryPaths.MANIFEST);
            }

            @Override
            public void entry(String name, byte[] content) {
                held.add(content.length + name.length());
                if (EntryPaths.SIGNATURE.equals(name)) {
                    signature[0] = content;
                } else {
                    entries.put(name, content);
                    order.add(name);
                }
            }
        });
        return new ArchiveContents(manifest[0], Optional.ofNullable(signature[0]), entries, order, problems);
    }

    /**
     * What the beginning of an archive says: its summary ({@code summary.json}, or for a format 1.0 archive the summary
     * computed from its streamed manifest), or, read from a prefix, that the archive starts with its manifest.
     */
    public record Start(Summary summary, boolean manifestFirst) {
    }

    /**
     * Reads the first entries of an archive, within {@code limits} and the format's limits: {@code summary.json} when it
     * leads (a few KB); for a 1.0 archive, which starts with its manifest, the summary computed as the manifest streams
     * past, and whether a signature follows it, when {@code whole}, else {@code manifestFirst}. Empty when the stream
     * ends too early: a prefix of the object, to be read again longer.
     */
    public static Optional<Start> start(InputStream archive, ArchiveLimits limits, HeldBudget held, boolean whole) {
        ArchiveReads.Reading reading = ArchiveReads.start();
        try {
            BufferedInputStream in = new BufferedInputStream(archive, 1 << 16);
            InputStream stream = isGzip(in) ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
            TarHeaderGuard guard = new TarHeaderGuard(stream, limits.maxHeaderBytes(), limits.maxStreamBytes());
            TarArchiveInputStream tar = new TarArchiveInputStream(guard, StandardCharsets.UTF_8.name());
            TarArchiveEntry first = tar.getNextEntry();
            if (first == null) {
                if (whole) {
                    throw notAnArchive("no tar entry found");
                }
                return Optional.empty();
            }
            return startWith(first, tar, held, whole);
        } catch (PivotctlException e) {
            throw e;
        } catch (TarHeaderGuard.Refused refused) {
            throw PivotctlException.invalid(refused.getMessage());
        } catch (IOException | RuntimeException e) {
            // a prefix cut inside gzip or tar data reads as damage: only the caller knows whether the object ended there
            if (whole) {
                Throwable refused = refusal(e);
                throw PivotctlException.invalid(refused != null ? refused.getMessage() : "archive is corrupt or truncated: " + oneLine(e));
            }
            return Optional.empty();
        } catch (OutOfMemoryError | StackOverflowError error) {
            reading.failed();
            throw error;
        } finally {
            reading.close();
        }
    }

    private static Optional<Start> startWith(TarArchiveEntry first, TarArchiveInputStream tar, HeldBudget held, boolean whole) throws IOException {
        String name = first.getName();
        if (EntryPaths.SUMMARY.equals(name) && isRegularFile(first)) {
            if (first.getSize() < 0 || first.getSize() > FormatLimits.MAX_SUMMARY_BYTES) {
                throw notAnArchive("summary.json is " + first.getSize() + " bytes, over the format's limit of " + FormatLimits.MAX_SUMMARY_BYTES);
            }
            byte[] bytes = tar.readNBytes((int) first.getSize());
            if (bytes.length < first.getSize()) {
                if (whole) {
                    throw PivotctlException.invalid("archive is truncated inside entry 'summary.json'");
                }
                return Optional.empty();
            }
            return Optional.of(new Start(SummaryCodec.parse(bytes, held), false));
        }
        if (EntryPaths.MANIFEST.equals(name) && isRegularFile(first)) {
            if (!whole) {
                return Optional.of(new Start(null, true));
            }
            LegacySummary.Counted counted = LegacySummary.read(new BoundedEntry(tar, first.getSize()), held);
            if (FormatVersions.requiresSummary(counted.header().formatVersion())) {
                // the summary a listing shows is what 1.1 requires first; a 1.1 manifest without one was not written by pivotctl
                throw FormatVersions.missingSummary(counted.header().formatVersion());
            }
            TarArchiveEntry second = tar.getNextEntry();
            return Optional.of(new Start(counted.summary(second != null && EntryPaths.SIGNATURE.equals(second.getName())), false));
        }
        throw notAnArchive("the first entry is '" + Printable.of(name) + "', not " + EntryPaths.SUMMARY + " or " + EntryPaths.MANIFEST);
    }

    private static PivotctlException notAnArchive(String why) {
        return PivotctlException.invalid("not a pivotctl archive: " + why);
    }

    /** Receives the safe, regular, unique entries of an archive one at a time, in archive order. */
    public interface EntrySink {
        /** The manifest, to be read from {@code in} ({@code size} bytes) now: it may be larger than any entry held whole. */
        void manifest(InputStream in, long size) throws IOException;

        /** Any other entry (the signature included), whole; the sink decides what to keep. */
        void entry(String name, byte[] content);
    }

    /** {@link #scan(InputStream, ArchiveLimits, HeldBudget, EntrySink)} of a local file. */
    public static List<String> scan(Path file, ArchiveLimits limits, HeldBudget held, EntrySink sink) {
        try (InputStream raw = Files.newInputStream(file)) {
            return scan(raw, limits, held, sink);
        } catch (NoSuchFileException e) {
            throw PivotctlException.invalid("archive " + file + " does not exist");
        } catch (IOException e) {
            throw PivotctlException.invalid("cannot read archive " + file + ": " + oneLine(e));
        }
    }

    /**
     * Reads the archive once, as a stream, handing each safe entry to {@code sink} as it is read; nothing is kept
     * here but the problems (unsafe, irregular or duplicate entries, a manifest that is not first), which are
     * returned and count against {@code held}. Entry count, entry size and the decompressed stream are bounded;
     * structural damage (not a tar, truncated, corrupt compression) and a missing manifest are fatal.
     */
    public static List<String> scan(InputStream raw, ArchiveLimits limits, HeldBudget held, EntrySink sink) {
        Scan scan = new Scan(limits, held, sink);
        ArchiveReads.Reading reading = ArchiveReads.start();
        try {
            BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
            InputStream stream = isGzip(in) ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
            TarHeaderGuard guard = new TarHeaderGuard(stream, limits.maxHeaderBytes(), limits.maxStreamBytes());
            TarArchiveInputStream tar = new TarArchiveInputStream(guard, StandardCharsets.UTF_8.name());
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                scan.next(e, guard, tar);
            }
            return scan.end();
        } catch (PivotctlException pe) {
            throw pe;
        } catch (TarHeaderGuard.Refused refused) {
            throw PivotctlException.invalid(refused.getMessage());
        } catch (EOFException eof) {
            throw PivotctlException.invalid("archive is truncated (unexpected end of data)");
        } catch (IOException | RuntimeException ex) {
            Throwable refused = refusal(ex);
            if (refused != null) {
                throw PivotctlException.invalid(refused.getMessage());
            }
            // commons-compress reports header damage as IllegalArgumentException and friends: all mean "corrupt".
            throw PivotctlException.invalid("archive is corrupt or truncated: " + oneLine(ex));
        } catch (OutOfMemoryError | StackOverflowError error) {
            reading.failed(); // the read stays counted: the command line reports exit 3
            throw error;
        } finally {
            reading.close();
        }
    }

    /** One pass over the entries: what is checked per entry before the sink sees it, and what is kept to check the next. */
    private static final class Scan {
        private final ArchiveLimits limits;
        private final HeldBudget held;
        private final EntrySink sink;
        private final List<String> problems = new ArrayList<>();
        private final java.util.Set<String> seen = new java.util.HashSet<>();
        private boolean manifestSeen;
        private boolean summaryFirst;
        private int count;

        Scan(ArchiveLimits limits, HeldBudget held, EntrySink sink) {
            this.limits = limits;
            this.held = held;
            this.sink = sink;
        }

        void next(TarArchiveEntry e, TarHeaderGuard guard, TarArchiveInputStream tar) throws IOException {
            if (++count > limits.maxEntries()) {
                throw PivotctlException.invalid("archive has more than " + limits.maxEntries() + " entries (limit)");
            }
            checkInStep(e, guard);
            String name = e.getName();
            if (name != null && name.length() > FormatLimits.MAX_ENTRY_NAME) {
                throw PivotctlException.invalid("archive has an entry name of " + name.length() + " characters, over the format's limit of "
                        + FormatLimits.MAX_ENTRY_NAME + ": '" + Printable.of(name) + "'");
            }
            if (!acceptable(e, name)) {
                return;
            }
            long size = e.getSize();
            if (EntryPaths.MANIFEST.equals(name)) {
                manifest(tar, size);
                return;
            }
            long max = maxSize(name);
            if (size < 0 || size > max) {
                throw PivotctlException.invalid("entry '" + Printable.of(name) + "' is " + size + " bytes, over the limit of " + max);
            }
            summaryFirst |= count == 1 && EntryPaths.SUMMARY.equals(name);
            sink.entry(name, readFully(tar, (int) size, name));
        }

        /** Safe, regular and not seen before; otherwise a problem (held too: a hundred thousand of them must count). */
        private boolean acceptable(TarArchiveEntry e, String name) {
            String unsafe = unsafeName(name);
            if (unsafe != null) {
                problem(problems, held, "entry '" + Printable.of(name) + "': " + unsafe);
                return false;
            }
            if (!isRegularFile(e)) {
                problem(problems, held, "entry '" + Printable.of(name) + "': not a regular file (" + typeName(e) + ")");
                return false;
            }
            // the names of every entry are kept to find duplicates: count them too
            if (!seen.add(name)) {
                problem(problems, held, "entry '" + Printable.of(name) + "': duplicate entry");
                return false;
            }
            held.add(name.length() + 40L);
            return true;
        }

        private void manifest(TarArchiveInputStream tar, long size) throws IOException {
            if (count != 1 && !(count == 2 && summaryFirst)) {
                problem(problems, held, "manifest.json is not the first entry (nor the second, after summary.json)");
            }
            if (size < 0 || size > limits.maxStreamBytes()) {
                throw PivotctlException.invalid("entry '" + EntryPaths.MANIFEST + "' is " + size + " bytes, over the limit of "
                        + limits.maxStreamBytes() + " (the decompressed stream's)");
            }
            manifestSeen = true;
            sink.manifest(new BoundedEntry(tar, size), size);
        }

        /** The format's small entries have their own limits; everything else the limit of one entry read whole. */
        private long maxSize(String name) {
            if (EntryPaths.SUMMARY.equals(name)) {
                return Math.min(FormatLimits.MAX_SUMMARY_BYTES, limits.maxEntryBytes());
            }
            if (EntryPaths.SIGNATURE.equals(name)) {
                return Math.min(FormatLimits.MAX_SIGNATURE_BYTES, limits.maxEntryBytes());
            }
            return limits.maxEntryBytes();
        }

        List<String> end() {
            if (count == 0) {
                throw PivotctlException.invalid("not a pivotctl archive: no complete tar entry found (empty, truncated, or not a tar file)");
            }
            if (!manifestSeen) {
                throw PivotctlException.invalid("not a pivotctl archive: manifest.json is missing");
            }
            return problems;
        }
    }

    private static void problem(List<String> problems, HeldBudget held, String problem) {
        problems.add(problem);
        held.add(problem.length());
    }

    /** One entry's data as a stream that ends at its size and reports a short entry as truncation. */
    private static final class BoundedEntry extends InputStream {
        private final InputStream in;
        private long left;

        BoundedEntry(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw PivotctlException.invalid("archive is truncated inside entry '" + EntryPaths.MANIFEST + "'");
            }
            left -= n;
            return n;
        }

        @Override
        public void close() {
            // the tar stream goes on
        }
    }

    /**
     * commons-compress skips a directory's data and reads a sparse entry by its map: the guard assumed the size
     * field. Refusing any entry where the two would differ keeps the guard seeing every header commons-compress reads.
     */
    private static void checkInStep(TarArchiveEntry e, TarHeaderGuard guard) {
        long skipped = e.isDirectory() ? 0 : e.getSize();
        if (e.isSparse() || e.getRealSize() != e.getSize() || skipped != guard.entryDataLength()) {
            throw PivotctlException.invalid("entry '" + Printable.of(e.getName()) + "': a " + (e.isDirectory() ? "directory" : "sparse")
                    + " entry with data (" + guard.entryDataLength() + " bytes), which pivotctl archives never contain");
        }
    }

    /** A guard refusal wrapped by commons-compress on its way out. */
    private static Throwable refusal(Throwable t) {
        for (Throwable cur = t; cur != null; cur = cur.getCause()) {
            if (cur instanceof TarHeaderGuard.Refused) {
                return cur;
            }
        }
        return null;
    }

    /** By the gzip magic bytes, not the file name (temporary files have none that says so). */
    public static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b;
    }

    private static boolean isRegularFile(TarArchiveEntry e) {
        byte flag = e.getLinkFlag();
        return (flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM) && !e.getName().endsWith("/");
    }

    private static String typeName(TarArchiveEntry e) {
        if (e.isSymbolicLink()) {
            return "symbolic link to '" + Printable.of(e.getLinkName()) + "'";
        }
        if (e.isLink()) {
            return "hard link to '" + Printable.of(e.getLinkName()) + "'";
        }
        if (e.isDirectory()) {
            return "directory";
        }
        if (e.isCharacterDevice() || e.isBlockDevice()) {
            return "device";
        }
        if (e.isFIFO()) {
            return "fifo";
        }
        return "type flag '" + (char) e.getLinkFlag() + "'";
    }

    /** Null when safe, else why not. */
    static String unsafeName(String name) {
        if (name == null || name.isEmpty()) {
            return "empty name";
        }
        if (name.indexOf('\0') >= 0) {
            return "name contains NUL";
        }
        if (name.indexOf('\\') >= 0) {
            return "name contains a backslash";
        }
        if (name.startsWith("/")) {
            return "absolute path";
        }
        for (String seg : name.split("/", -1)) {
            if (seg.equals("..")) {
                return "path traversal ('..')";
            }
            if (seg.equals(".")) {
                return "'.' segment";
            }
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return "name contains a control character";
            }
        }
        return null;
    }

    private static byte[] readFully(InputStream in, int size, String name) throws IOException {
        byte[] b = new byte[size];
        int off = 0;
        while (off < size) {
            int n = in.read(b, off, size - off);
            if (n < 0) {
                throw PivotctlException.invalid("archive is truncated inside entry '" + Printable.of(name) + "'");
            }
            off += n;
        }
        return b;
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return Printable.of(nl < 0 ? m : m.substring(0, nl));
    }
}

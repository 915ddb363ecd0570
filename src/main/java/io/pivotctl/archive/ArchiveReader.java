package io.pivotctl.archive;

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

    public static ArchiveContents read(Path file, ArchiveLimits limits) {
        try (InputStream raw = Files.newInputStream(file)) {
            return read(raw, limits);
        } catch (NoSuchFileException e) {
            throw PivotctlException.invalid("archive " + file + " does not exist");
        } catch (IOException e) {
            throw PivotctlException.invalid("cannot read archive " + file + ": " + oneLine(e));
        }
    }

    public static ArchiveContents read(InputStream raw, ArchiveLimits limits) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        byte[] manifest = null;
        byte[] signature = null;
        Budget held = new Budget(limits);
        int count = 0;
        try {
            BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
            InputStream stream = isGzip(in) ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
            TarHeaderGuard guard = new TarHeaderGuard(stream, limits.maxHeaderBytes(), limits.maxStreamBytes());
            TarArchiveInputStream tar = new TarArchiveInputStream(guard, StandardCharsets.UTF_8.name());
            TarArchiveEntry e;
            boolean any = false;
            while ((e = tar.getNextEntry()) != null) {
                any = true;
                if (++count > limits.maxEntries()) {
                    throw PivotctlException.invalid("archive has more than " + limits.maxEntries() + " entries (limit)");
                }
                checkInStep(e, guard);
                String name = e.getName();
                String unsafe = unsafeName(name);
                // problems are held too: a hundred thousand of them must count against the budget
                if (unsafe != null) {
                    problems.add("entry '" + printable(name) + "': " + unsafe);
                    held.add(problems.get(problems.size() - 1).length());
                    continue;
                }
                if (!isRegularFile(e)) {
                    problems.add("entry '" + printable(name) + "': not a regular file (" + typeName(e) + ")");
                    held.add(problems.get(problems.size() - 1).length());
                    continue;
                }
                if (entries.containsKey(name) || (EntryPaths.MANIFEST.equals(name) && manifest != null)
                        || (EntryPaths.SIGNATURE.equals(name) && signature != null)) {
                    problems.add("entry '" + printable(name) + "': duplicate entry");
                    held.add(problems.get(problems.size() - 1).length());
                    continue;
                }
                long size = e.getSize();
                if (size < 0 || size > limits.maxEntryBytes()) {
                    throw PivotctlException.invalid("entry '" + printable(name) + "' is " + size + " bytes, over the limit of " + limits.maxEntryBytes());
                }
                held.add(size + name.length());
                byte[] content = readFully(tar, (int) size, name);
                if (EntryPaths.MANIFEST.equals(name)) {
                    if (count != 1) {
                        problems.add("manifest.json is not the first entry");
                    }
                    manifest = content;
                } else if (EntryPaths.SIGNATURE.equals(name)) {
                    signature = content;
                } else {
                    entries.put(name, content);
                    order.add(name);
                }
            }
            if (!any) {
                throw PivotctlException.invalid("not a pivotctl archive: no complete tar entry found (empty, truncated, or not a tar file)");
            }
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
        }
        if (manifest == null) {
            throw PivotctlException.invalid("not a pivotctl archive: manifest.json is missing");
        }
        return new ArchiveContents(manifest, Optional.ofNullable(signature), entries, order, problems);
    }

    /**
     * commons-compress skips a directory's data and reads a sparse entry by its map: the guard assumed the size
     * field. Refusing any entry where the two would differ keeps the guard seeing every header commons-compress reads.
     */
    private static void checkInStep(TarArchiveEntry e, TarHeaderGuard guard) {
        long skipped = e.isDirectory() ? 0 : e.getSize();
        if (e.isSparse() || e.getRealSize() != e.getSize() || skipped != guard.entryDataLength()) {
            throw PivotctlException.invalid("entry '" + printable(e.getName()) + "': a " + (e.isDirectory() ? "directory" : "sparse")
                    + " entry with data (" + guard.entryDataLength() + " bytes), which pivotctl archives never contain");
        }
    }

    /** What the read holds in memory (contents, names, problems), checked before it is allocated. */
    private static final class Budget {
        private final long limit;
        private final long maxHeap = Runtime.getRuntime().maxMemory();
        private final long heapShare = maxHeap / ArchiveLimits.HEAP_SHARE;
        private long total;

        Budget(ArchiveLimits limits) {
            this.limit = limits.maxTotalBytes();
        }

        void add(long bytes) {
            total += bytes;
            if (total > limit) {
                throw PivotctlException.invalid("archive content exceeds the limit of " + limit + " bytes");
            }
            if (total > heapShare) {
                throw PivotctlException.invalid("archive content exceeds " + heapShare + " bytes, 1/" + ArchiveLimits.HEAP_SHARE
                        + " of this JVM's maximum heap (" + (maxHeap >> 20) + " MiB), the most it may hold while parsing: run with a larger"
                        + " heap (PIVOTCTL_JAVA_OPTS=-Xmx" + suggestedHeapGib() + "g)");
            }
        }

        /** A heap that lets the whole limit be held and parsed. */
        private long suggestedHeapGib() {
            return Math.max(1, (limit * ArchiveLimits.HEAP_SHARE + (1L << 30) - 1) >> 30);
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
            return "symbolic link to '" + printable(e.getLinkName()) + "'";
        }
        if (e.isLink()) {
            return "hard link to '" + printable(e.getLinkName()) + "'";
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
                throw PivotctlException.invalid("archive is truncated inside entry '" + name + "'");
            }
            off += n;
        }
        return b;
    }

    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.length() > 200 ? b.substring(0, 200) + "..." : b.toString();
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return printable(nl < 0 ? m : m.substring(0, nl));
    }
}

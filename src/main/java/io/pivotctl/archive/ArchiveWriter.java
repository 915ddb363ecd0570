package io.pivotctl.archive;

import io.pivotctl.PivotctlException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an archive deterministically (formats/pivot-archive-v1.md section 1): {@code summary.json}, the manifest, its
 * signature, then sorted entries; fixed mode/owner/time, PAX for long names, gzip header time 0.
 *
 * <p>The manifest comes early but lists the digest of every later entry, so contents are produced
 * twice: once to digest, once to write. Producers must be deterministic (objects re-serialise to the
 * same bytes; ciphertexts are produced once and kept), which keeps memory bounded by the largest
 * entry instead of the whole archive. The file appears under its final name only when complete
 * (temp file in the same directory, then an atomic rename), with mode 0600.
 */
public final class ArchiveWriter {

    /** Produces an entry's bytes; called twice, must return the same bytes each time. */
    @FunctionalInterface
    public interface Content {
        byte[] bytes() throws IOException;
    }

    /** An entry to write: its manifest description (size and digest are filled in) and its content. */
    public record Source(Manifest.Entry entry, Content content) {
    }

    /** Signs a manifest by its SHA-256 (format 1.1, section 4.1): the manifest's bytes are never held to be signed. */
    public interface Signer {
        /** The scheme the summary names ("ed25519-sha256"). */
        String scheme();

        /** The bytes of {@code manifest.json.sig} for the manifest whose SHA-256 is {@code manifestSha256} (32 bytes). */
        byte[] signatureFile(byte[] manifestSha256);

        /** A signer of {@code scheme} whose signature file for a manifest digest {@code sign} makes. */
        static Signer of(String scheme, java.util.function.UnaryOperator<byte[]> sign) {
            return new Signer() {
                @Override
                public String scheme() {
                    return scheme;
                }

                @Override
                public byte[] signatureFile(byte[] manifestSha256) {
                    return sign.apply(manifestSha256);
                }
            };
        }
    }

    /** What was written: the manifest (entries digested) and the summary that leads the archive. */
    public record Written(Manifest manifest, Summary summary) {
    }

    private static final long FIXED_MTIME_MILLIS = 0L;

    private ArchiveWriter() {
    }

    /**
     * Writes {@code sources} with a manifest built from {@code manifest} (its entries are replaced by the
     * digested ones), signed by {@code signer} when present, and the summary that describes them.
     */
    public static Written write(Path target, Manifest manifest, List<Source> sources, Optional<Signer> signer) {
        return write(target, (out, gzip) -> writeTo(out, gzip, manifest, sources, signer));
    }

    /** Writes the archive's bytes to a stream the caller owns: a temp file, an object-storage upload. */
    @FunctionalInterface
    public interface Body {
        Written writeTo(OutputStream out, boolean gzip) throws IOException;
    }

    /** Writes {@code body} to {@code target} as {@link #write(Path, Manifest, List, Optional)} does: temp file, 0600, rename. */
    public static Written write(Path target, Body body) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        // Ctrl-C/SIGTERM skip finally blocks: a shutdown hook removes the half-written file instead
        Thread cleanup = new Thread(() -> {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // nothing more can be done while the JVM exits
            }
        }, "pivotctl-archive-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Written complete;
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream file = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
                complete = body.writeTo(file, isGzipName(target));
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            moveIntoPlace(temp, target);
            return complete;
        } catch (IOException e) {
            throw PivotctlException.failed("cannot write archive " + target + ": " + e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            throw PivotctlException.failed("cannot write archive " + target + ": " + e.getCause().getMessage());
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: the temp file holds no clear secret
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /**
     * Writes the archive to {@code out} (which the caller closes, and which decides where the bytes go: a temp file,
     * an object-storage upload). Only one entry's bytes are held at a time, and never the manifest's.
     */
    public static Written writeTo(OutputStream out, boolean gzip, Manifest manifest, List<Source> sources, Optional<Signer> signer)
            throws IOException {
        List<Source> sorted = new ArrayList<>(sources);
        sorted.sort(Comparator.comparing(s -> s.entry().path()));
        checkUnique(sorted);
        // first pass, on all cores: sizes and digests for the manifest, which comes before every entry it lists
        List<Digested> digested = sorted.parallelStream().map(ArchiveWriter::digested).toList();
        Manifest complete = manifest.withEntries(digested.stream().map(Digested::entry).toList());
        Map<String, Integer> states = new TreeMap<>();
        digested.stream().map(Digested::hostState).filter(java.util.Objects::nonNull).forEach(st -> states.merge(st, 1, Integer::sum));
        return writeArchive(out, gzip, new Listed(complete, states), signer, tar -> writeEntries(tar, sorted, digested));
    }

    /** A manifest whose entries already carry their sizes and digests, and the hosts per provisioning state its objects report. */
    public record Listed(Manifest manifest, Map<String, Integer> hostsPerState) {
        public Listed {
            hostsPerState = Map.copyOf(hostsPerState);
        }
    }

    /** Writes the entries of a {@link Listed} manifest, in its order, through {@link EntryOut}. */
    @FunctionalInterface
    public interface EntryProducer {
        void produce(EntryOut out) throws IOException;
    }

    /** Takes the next entry: refused unless it is the next one the manifest lists, with the size and digest listed. */
    @FunctionalInterface
    public interface EntryOut {
        void put(String path, byte[] bytes) throws IOException;
    }

    /**
     * Writes an archive whose manifest is complete before any entry is produced (rekey: only the re-encrypted Secrets
     * changed, and their new digests are known from a first pass): summary, manifest, signature, then each entry as
     * {@code producer} hands it over, checked against the manifest, so one entry at a time is held.
     */
    public static Written writeListed(OutputStream out, boolean gzip, Listed listed, Optional<Signer> signer, EntryProducer producer)
            throws IOException {
        return writeArchive(out, gzip, listed, signer, tar -> {
            InOrder inOrder = new InOrder(tar, listed.manifest().entries());
            producer.produce(inOrder);
            inOrder.finish();
        });
    }

    /** Hands entries to the tar in the manifest's order, refusing anything else. */
    private static final class InOrder implements EntryOut {
        private final TarArchiveOutputStream tar;
        private final List<Manifest.Entry> entries;
        private int next;

        InOrder(TarArchiveOutputStream tar, List<Manifest.Entry> entries) {
            this.tar = tar;
            this.entries = entries;
        }

        @Override
        public void put(String path, byte[] bytes) throws IOException {
            if (next >= entries.size() || !entries.get(next).path().equals(path)) {
                throw new IllegalStateException("entry " + io.pivotctl.Printable.of(path) + " is not the next one the manifest lists ("
                        + (next < entries.size() ? entries.get(next).path() : "none left") + ")");
            }
            Manifest.Entry e = entries.get(next++);
            if (bytes.length != e.size() || !Digests.sha256(bytes).equals(e.sha256())) {
                throw new IllegalStateException("entry " + io.pivotctl.Printable.of(path) + " is not the bytes the manifest lists");
            }
            ArchiveWriter.put(tar, path, bytes);
        }

        void finish() {
            if (next != entries.size()) {
                throw new IllegalStateException("entry " + entries.get(next).path() + " was never written");
            }
        }
    }

    /** What writes the entries after the head. */
    @FunctionalInterface
    private interface Tail {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private static Written writeArchive(OutputStream out, boolean gzip, Listed listed, Optional<Signer> signer, Tail tail) throws IOException {
        Manifest complete = listed.manifest();
        // a 5,000-host fleet's manifest is about 100 MB of JSON: it goes through a temp file (it holds no Secret
        // value, mode 0600 anyway) rather than the heap, digested as it is written; the signature signs that digest
        Path manifestFile = Files.createTempFile("pivotctl-manifest-", ".json", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            byte[] sha256 = writeManifest(complete, manifestFile);
            Summary summary = summary(complete, listed.hostsPerState(), new Summary.ManifestDigest(Files.size(manifestFile), HexFormat.of().formatHex(sha256)),
                    signer.map(Signer::scheme).orElse(null));
            OutputStream buffered = new BufferedOutputStream(new NonClosing(out), 1 << 16);
            try (OutputStream maybeGzip = gzip ? new GZIPOutputStream(buffered, 1 << 16) : buffered;
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(maybeGzip, StandardCharsets.UTF_8.name())) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                tar.setAddPaxHeadersForNonAsciiNames(true);
                put(tar, EntryPaths.SUMMARY, SummaryCodec.write(summary));
                put(tar, EntryPaths.MANIFEST, manifestFile);
                if (signer.isPresent()) {
                    put(tar, EntryPaths.SIGNATURE, signer.get().signatureFile(sha256));
                }
                tail.write(tar);
                tar.finish();
            }
            return new Written(complete, summary);
        } finally {
            Files.deleteIfExists(manifestFile);
        }
    }

    /** Writes the manifest to {@code file}; returns the SHA-256 of its bytes, computed as they were written. */
    private static byte[] writeManifest(Manifest complete, Path file) throws IOException {
        MessageDigest sha256 = Digests.sha256();
        try (OutputStream m = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), sha256)) {
            ManifestCodec.write(complete, m);
        }
        return sha256.digest();
    }

    /** The summary of what is written; refused when it would be over the format's limit (a reader could not list it). */
    private static Summary summary(Manifest complete, Map<String, Integer> states, Summary.ManifestDigest digest, String scheme) {
        Summary summary = Summary.describe(Summary.Header.of(complete), Summary.Tally.of(complete).contents(true).withHostsPerState(states),
                digest, scheme);
        int size = SummaryCodec.write(summary).length;
        if (size > FormatLimits.MAX_SUMMARY_BYTES) {
            throw PivotctlException.failed("summary.json would be " + size + " bytes, over the format's limit of " + FormatLimits.MAX_SUMMARY_BYTES
                    + " (too many Clusters or left-out kinds to list)");
        }
        return summary;
    }

    /** Second pass: each entry produced again, refused unless it is the bytes the manifest lists. */
    private static void writeEntries(TarArchiveOutputStream tar, List<Source> sorted, List<Digested> digested) throws IOException {
        for (int i = 0; i < sorted.size(); i++) {
            byte[] b = sorted.get(i).content().bytes();
            Manifest.Entry listed = digested.get(i).entry();
            if (b.length != listed.size() || !Digests.sha256(b).equals(listed.sha256())) {
                throw new IllegalStateException("entry " + sorted.get(i).entry().path() + " changed between digest and write");
            }
            put(tar, sorted.get(i).entry().path(), b);
        }
    }

    /** Lets the tar and gzip streams be closed (flushing their trailers) without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** An entry with its size and digest, and, for a BareMetalHost, the provisioning state its object reports. */
    private record Digested(Manifest.Entry entry, String hostState) {
    }

    private static Digested digested(Source s) {
        try {
            byte[] b = s.content().bytes();
            Manifest.Entry e = s.entry().withDigest(b.length, Digests.sha256(b));
            return new Digested(e, isHost(e) ? Summary.hostState(io.pivotctl.Json.YAML.readTree(b)) : null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean isHost(Manifest.Entry e) {
        return Manifest.Entry.OBJECT.equals(e.role()) && "metal3.io".equals(e.group()) && "BareMetalHost".equals(e.kind());
    }

    public static boolean isGzipName(Path file) {
        return isGzipName(file.getFileName().toString());
    }

    /** The layout's rule (section 1): {@code .tar.gz} and {@code .tgz} are gzip-compressed, anything else plain tar. */
    public static boolean isGzipName(String name) {
        return name.endsWith(".tar.gz") || name.endsWith(".tgz");
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void put(TarArchiveOutputStream tar, String name, Path file) throws IOException {
        tar.putArchiveEntry(header(name, Files.size(file)));
        Files.copy(file, tar);
        tar.closeArchiveEntry();
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        tar.putArchiveEntry(header(name, content.length));
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry header(String name, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(size);
        e.setMode(0100644);
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("");
        e.setGroupName("");
        e.setModTime(FIXED_MTIME_MILLIS);
        return e;
    }

    private static void checkUnique(List<Source> sorted) {
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).entry().path().equals(sorted.get(i - 1).entry().path())) {
                throw new IllegalArgumentException("duplicate archive entry " + sorted.get(i).entry().path());
            }
        }
    }
}

package io.pivotctl.archive;

import io.pivotctl.crypto.PassphraseSealer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Hostile archives that are small on disk and huge once read: gzip members concatenated (GZIPInputStream reads
 * them as one stream), so a gigabyte of filler costs a compressed MiB once and about a kilobyte per MiB after.
 */
final class Bombs {

    static final long MIB = 1 << 20;
    static final long GIB = 1L << 30;
    static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    private Bombs() {
    }

    /** A GNU long-name ('L') entry of {@code size} bytes of 'a', followed by a file it would name. */
    static Path longName(Path dir, long size) {
        return write(dir.resolve("long-name-bomb.tar.gz"), out -> {
            out.member(header("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME, size));
            out.fill((byte) 'a', size);
            out.member(concat(pad(size), header("x", TarConstants.LF_NORMAL, 0), new byte[1024]));
        });
    }

    /** A PAX ('x') header of {@code size} bytes holding one well-formed record: a path of 'a's. */
    static Path pax(Path dir, long size) {
        byte[] prefix = (size + " path=").getBytes(StandardCharsets.US_ASCII);
        return write(dir.resolve("pax-bomb.tar.gz"), out -> {
            out.member(concat(header("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC, size), prefix));
            out.fill((byte) 'a', size - prefix.length - 1);
            out.member(concat("\n".getBytes(StandardCharsets.US_ASCII), pad(size), header("x", TarConstants.LF_NORMAL, 0), new byte[1024]));
        });
    }

    /** {@code count} regular files of {@code each} bytes: held in memory by a reader without a total budget. */
    static Path held(Path dir, int count, long each) {
        return write(dir.resolve("held-bomb.tar.gz"), out -> {
            for (int i = 0; i < count; i++) {
                out.member(header("objects/filler-" + i + ".yaml", TarConstants.LF_NORMAL, each));
                out.fill((byte) 'a', each);
                out.member(pad(each));
            }
            out.member(new byte[1024]);
        });
    }

    /** One entry with an unsafe name of {@code size} bytes: skipped, never held, but decompressed in full. */
    static Path skipped(Path dir, long size) {
        return write(dir.resolve("skipped-bomb.tar.gz"), out -> {
            out.member(header("../../escape", TarConstants.LF_NORMAL, size));
            out.fill((byte) 0, size);
            out.member(concat(pad(size), new byte[1024]));
        });
    }

    /**
     * Issue 20's first bomb: a manifest {@code {"formatVersion":"1.0","entries":[{},{},...]}} of {@code count} empty
     * entries (8 million: 24 MB of JSON, 23 KB on disk), which a parse into records without a budget turns into gigabytes.
     */
    static Path manyEmptyEntries(Path dir, long count) {
        byte[] head = "{\"formatVersion\":\"1.0\",\"entries\":[".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "{}]}".getBytes(StandardCharsets.US_ASCII);
        long size = head.length + 3L * (count - 1) + tail.length;
        return write(dir.resolve("empty-entries-bomb.tar.gz"), out -> {
            out.member(concat(header(EntryPaths.MANIFEST, TarConstants.LF_NORMAL, size), head));
            out.repeat("{},".getBytes(StandardCharsets.US_ASCII), count - 1);
            out.member(concat(tail, pad(size), new byte[1024]));
        });
    }

    /**
     * Issue 20's second bomb: a good archive whose manifest is padded with {@code spaces} spaces after its opening brace
     * (still the same JSON), followed by a signature entry of 64 zero bytes: a reader that holds the manifest's bytes
     * to check the signature holds all of them.
     */
    static Path paddedManifest(Path dir, long spaces) {
        ArchiveContents good = TestArchives.contents(dir);
        byte[] manifest = good.manifestBytes();
        long size = manifest.length + spaces;
        return write(dir.resolve("padded-manifest-bomb.tar.gz"), out -> {
            out.member(concat(header(EntryPaths.MANIFEST, TarConstants.LF_NORMAL, size), Arrays.copyOf(manifest, 1)));
            out.repeat(" ".getBytes(StandardCharsets.US_ASCII), spaces);
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            rest.writeBytes(Arrays.copyOfRange(manifest, 1, manifest.length));
            rest.writeBytes(pad(size));
            rest.writeBytes(entry(EntryPaths.SIGNATURE, (java.util.Base64.getEncoder().encodeToString(new byte[64]) + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            for (String name : good.order()) {
                rest.writeBytes(entry(name, good.entries().get(name)));
            }
            rest.writeBytes(new byte[1024]);
            out.member(rest.toByteArray());
        });
    }

    /**
     * Issue 20's third bomb: a good manifest, then {@code count} empty entries with unique names of {@code nameLength}
     * characters (PAX headers) that the manifest does not list: a reader that keeps every name, or every problem with
     * the name in full, holds {@code count * nameLength} characters at least twice.
     */
    static Path unlistedLongNames(Path dir, int count, int nameLength) {
        ArchiveContents good = TestArchives.contents(dir);
        String filler = "a".repeat(nameLength - 20);
        return write(dir.resolve("long-names-bomb.tar.gz"), out -> {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            tar.writeBytes(entry(EntryPaths.MANIFEST, good.manifestBytes()));
            for (int i = 0; i < count; i++) {
                tar.writeBytes(paxNamed(String.format("objects/%s%012d.yaml", filler, i)));
                if (tar.size() > MIB) {
                    out.member(tar.toByteArray());
                    tar.reset();
                }
            }
            for (String name : good.order()) {
                tar.writeBytes(entry(name, good.entries().get(name)));
            }
            tar.writeBytes(new byte[1024]);
            out.member(tar.toByteArray());
        });
    }

    /** An empty regular file named by a PAX 'x' header (any length), as GNU tar writes long names. */
    static byte[] paxNamed(String name) {
        return paxNamed(name, new byte[0]);
    }

    /** A regular file of {@code content} named by a PAX 'x' header (any length). */
    static byte[] paxNamed(String name, byte[] content) {
        String body = " path=" + name + "\n";
        int length = body.length() + 1;
        while (Integer.toString(length).length() + body.length() != length) {
            length = Integer.toString(length).length() + body.length();
        }
        byte[] record = (length + body).getBytes(StandardCharsets.UTF_8);
        return concat(header("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC, record.length), record, pad(record.length),
                entry("x", content));
    }

    /** One regular-file entry (a short name) as raw tar bytes: header, content, padding. */
    static byte[] entry(String name, byte[] content) {
        return concat(header(name, TarConstants.LF_NORMAL, content.length), content, pad(content.length));
    }

    /**
     * A well-formed passphrase-mode archive whose archive identity asks for scrypt work factor {@code logN}:
     * sealed at factor 1, then the stanza's factor rewritten (the stanza is read before anything is verified),
     * and digested into the manifest like export would.
     */
    static Path scrypt(Path dir, int logN) {
        return scrypt(dir, logN, false);
    }

    /** With {@code tampered}, the stored identity differs from the one digested into the manifest (by one byte). */
    static Path scrypt(Path dir, int logN, boolean tampered) {
        byte[] sealed = withWorkFactor(PassphraseSealer.seal("AGE-SECRET-KEY-1NOTAREALKEY\n".getBytes(StandardCharsets.US_ASCII), PASSPHRASE, 1), logN);
        List<ArchiveWriter.Source> sources = new ArrayList<>(TestArchives.sources());
        sources.add(new ArchiveWriter.Source(Manifest.Entry.archiveIdentity(), () -> sealed));
        Manifest m = TestArchives.manifest();
        Manifest passphraseMode = m.toBuilder().encryption(new Manifest.Encryption(Manifest.Encryption.AGE_V1, m.encryption().recipients(), true)).build();
        Path file = dir.resolve("scrypt-" + logN + (tampered ? "-tampered" : "") + ".tar.gz");
        ArchiveWriter.write(file, passphraseMode, sources, Optional.empty());
        if (tampered) {
            flipLastByte(file, EntryPaths.ARCHIVE_IDENTITY);
        }
        return file;
    }

    /** Rewrites a gzip tar with one entry's last byte flipped (the manifest keeps the old digest). */
    private static void flipLastByte(Path file, String entry) {
        try {
            Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
            try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
                TarArchiveEntry e;
                while ((e = in.getNextEntry()) != null) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
            byte[] b = entries.get(entry);
            b[b.length - 1] ^= 1;
            try (TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    TarArchiveEntry t = new TarArchiveEntry(e.getKey());
                    t.setSize(e.getValue().length);
                    out.putArchiveEntry(t);
                    out.write(e.getValue());
                    out.closeArchiveEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] withWorkFactor(byte[] ageFile, int logN) {
        String text = new String(ageFile, StandardCharsets.ISO_8859_1);
        String changed = text.replaceFirst("(-> scrypt \\S+) 1\n", "$1 " + logN + "\n");
        if (changed.equals(text)) {
            throw new IllegalStateException("no scrypt stanza with work factor 1");
        }
        return changed.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] header(String name, byte flag, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name, flag);
        e.setSize(size);
        e.setModTime(0);
        byte[] block = new byte[512];
        e.writeEntryHeader(block);
        return block;
    }

    static byte[] pad(long size) {
        return new byte[(int) ((512 - size % 512) % 512)];
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    interface Body {
        void write(Members out) throws IOException;
    }

    private static Path write(Path file, Body body) {
        try (OutputStream os = Files.newOutputStream(file)) {
            body.write(new Members(os));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Writes gzip members; a MiB of one byte value is compressed once and repeated. */
    static final class Members {
        private final OutputStream out;
        private final Map<Byte, byte[]> mib = new HashMap<>();

        Members(OutputStream out) {
            this.out = out;
        }

        void member(byte[] plain) throws IOException {
            out.write(gzip(plain));
        }

        void fill(byte value, long count) throws IOException {
            byte[] chunk = mib.computeIfAbsent(value, v -> {
                byte[] plain = new byte[(int) MIB];
                Arrays.fill(plain, v);
                return gzip(plain);
            });
            for (long i = 0; i < count / MIB; i++) {
                out.write(chunk);
            }
            byte[] rest = new byte[(int) (count % MIB)];
            Arrays.fill(rest, value);
            member(rest);
        }

        /** {@code pattern} {@code times} times: about a MiB of it compressed once and repeated. */
        void repeat(byte[] pattern, long times) throws IOException {
            long perChunk = Math.max(1, MIB / pattern.length);
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            for (long i = 0; i < Math.min(perChunk, times); i++) {
                chunk.writeBytes(pattern);
            }
            byte[] compressed = gzip(chunk.toByteArray());
            for (long i = 0; i < times / perChunk; i++) {
                out.write(compressed);
            }
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            for (long i = 0; i < times % perChunk; i++) {
                rest.writeBytes(pattern);
            }
            member(rest.toByteArray());
        }

        private static byte[] gzip(byte[] plain) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
                gz.write(plain);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return b.toByteArray();
        }
    }
}

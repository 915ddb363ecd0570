package io.pivotctl.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives built to exhaust memory or time are refused with one line (exit 3) before anything large is
 * allocated: extension headers by their size field, the decompressed stream and the held total by budgets.
 * The same bombs run through the real jar with -Xmx256m in {@code HostileArchiveIT}.
 */
class HostileArchiveTest {

    @TempDir
    Path dir;

    private static PivotctlException refused(Path file, ArchiveLimits limits) {
        PivotctlException e = assertThrows(PivotctlException.class, () -> ArchiveReader.read(file, limits));
        assertEquals(Outcome.INVALID, e.outcome(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    private static PivotctlException refused(byte[] tar) throws IOException {
        PivotctlException e = assertThrows(PivotctlException.class, () -> ArchiveReader.read(new ByteArrayInputStream(tar), ArchiveLimits.DEFAULT));
        assertEquals(Outcome.INVALID, e.outcome(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void aGibibyteLongNameIsRefusedAtItsHeader() {
        PivotctlException e = refused(Bombs.longName(dir, Bombs.GIB), ArchiveLimits.DEFAULT);
        assertEquals("archive has a GNU long name header of 1073741824 bytes, over the limit of 65536 bytes", e.getMessage());
    }

    @Test
    void aGibibytePaxHeaderIsRefusedAtItsHeader() {
        PivotctlException e = refused(Bombs.pax(dir, Bombs.GIB), ArchiveLimits.DEFAULT);
        assertEquals("archive has a PAX header of 1073741824 bytes, over the limit of 65536 bytes", e.getMessage());
    }

    @Test
    void decompressedBytesStopAtTheStreamLimitEvenWhenNothingIsHeld() {
        Path bomb = Bombs.skipped(dir, 64 * Bombs.MIB);
        PivotctlException e = refused(bomb, new ArchiveLimits(100, Bombs.MIB, 4 * Bombs.MIB, 65536, 8 * Bombs.MIB));
        assertEquals("archive content exceeds the limit of 8388608 bytes once decompressed", e.getMessage());
    }

    @Test
    void heldBytesStopAtTheTotalLimit() {
        Path bomb = Bombs.held(dir, 16, 2 * Bombs.MIB);
        PivotctlException e = refused(bomb, new ArchiveLimits(100, 4 * Bombs.MIB, 8 * Bombs.MIB, 65536, 64 * Bombs.MIB));
        assertEquals("archive content exceeds the limit of 8388608 bytes", e.getMessage());
    }

    @Test
    void problemsCountAgainstTheHeldBudgetToo() {
        byte[][] blocks = new byte[2000][];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = Bombs.header("../escape-" + i, TarConstants.LF_NORMAL, 0);
        }
        Path file = dir.resolve("problems.tar");
        try {
            Files.write(file, tar(blocks));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        PivotctlException e = refused(file, new ArchiveLimits(100_000, Bombs.MIB, 64 * 1024, 65536, 64 * Bombs.MIB));
        assertEquals("archive content exceeds the limit of 65536 bytes", e.getMessage());
    }

    @Test
    void theDefaultsHoldAFleetArchiveAndStayInsideASmallHeap() {
        ArchiveLimits d = ArchiveLimits.DEFAULT;
        // measured by FleetArchiveLimitsIT: 13,318 entries, a 21.9 MB manifest, 37.5 MB held in all
        assertTrue(d.maxEntries() >= 5 * 13_318, "entries of a 1000-host fleet");
        assertTrue(d.maxEntryBytes() >= 3 * 21_908_909L, "its manifest");
        assertTrue(d.maxTotalBytes() >= 3 * 37_498_831L, "all it holds");
        assertTrue((256L << 20) / ArchiveLimits.HEAP_SHARE > 37_498_831L, "the heap share of -Xmx256m holds it");
        assertTrue(d.maxStreamBytes() >= d.maxTotalBytes() + 13_318L * 2048, "headers and padding of a fleet fit");
    }

    /** Tables of header tricks that would put commons-compress out of step with what the guard inspected. */
    @Test
    void headerTricksAreRefusedNamingTheTrick() throws IOException {
        byte[] smallPax = paxRecord("path", "objects/a.yaml");
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {tar(Bombs.header("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC, smallPax.length), withPad(smallPax),
                Bombs.header("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC, smallPax.length), withPad(smallPax),
                Bombs.header("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC, smallPax.length), withPad(smallPax),
                Bombs.header("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC, smallPax.length), withPad(smallPax),
                Bombs.header("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC, smallPax.length), withPad(smallPax),
                Bombs.header("a.yaml", TarConstants.LF_NORMAL, 0)),
                "archive has more than 4 tar extension headers in a row (limit)"});
        byte[] size = paxRecord("size", "12");
        cases.add(new Object[] {tar(Bombs.header("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC, size.length), withPad(size),
                Bombs.header("a.yaml", TarConstants.LF_NORMAL, 0)),
                "archive has a PAX header setting 'size', which pivotctl archives never contain (sparse or over-8-GiB entries)"});
        byte[] sparse = paxRecord("GNU.sparse.map", "0,1");
        cases.add(new Object[] {tar(Bombs.header("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC, sparse.length), withPad(sparse),
                Bombs.header("a.yaml", TarConstants.LF_NORMAL, 0)),
                "archive has a PAX header setting 'GNU.sparse.map', which pivotctl archives never contain (sparse or over-8-GiB entries)"});
        cases.add(new Object[] {tar(Bombs.header("a.yaml", (byte) 'S', 0)), "archive has a GNU sparse file entry, which pivotctl archives never contain"});
        cases.add(new Object[] {tar(Bombs.header("objects/", TarConstants.LF_DIR, 1024), new byte[1024], Bombs.header("a.yaml", TarConstants.LF_NORMAL, 0)),
                "entry 'objects/': a directory entry with data (1024 bytes), which pivotctl archives never contain"});
        byte[] globals = paxRecord("comment", "x".repeat(40_000));
        cases.add(new Object[] {tar(Bombs.header("g", TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER, globals.length), withPad(globals),
                Bombs.header("g", TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER, globals.length), withPad(globals),
                Bombs.header("a.yaml", TarConstants.LF_NORMAL, 0)),
                "archive has PAX global headers of more than 65536 bytes in total (limit)"});
        for (Object[] c : cases) {
            assertEquals(c[1], refused((byte[]) c[0]).getMessage());
        }
    }

    /** The guard must read a size field exactly as commons-compress does, or a header could pass it unseen. */
    @Test
    void sizeFieldIsReadExactlyAsCommonsCompressReadsIt() {
        Random random = new Random(12);
        byte[] alphabet = "01234567 \0\u00ff\u0080x89".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 20_000; i++) {
            byte[] h = new byte[512];
            for (int j = 124; j < 136; j++) {
                h[j] = i % 3 == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            if (i % 5 == 0) {
                h[124] = (byte) 0x80;
            }
            Long theirs;
            try {
                theirs = TarUtils.parseOctalOrBinary(h, 124, 12);
            } catch (IllegalArgumentException e) {
                theirs = null;
            }
            Long ours;
            try {
                ours = TarHeaderGuard.sizeField(h);
            } catch (TarHeaderGuard.Refused e) {
                ours = null;
            }
            String field = java.util.HexFormat.of().formatHex(h, 124, 136);
            if (ours != null) {
                assertEquals(ours, theirs, "a size we accept is the size commons-compress uses: " + field);
            } else {
                // refusing more than commons-compress is safe; only the negative base-256 form (0xff) is refused outright
                assertTrue(theirs == null || theirs < 0 || h[124] == (byte) 0xff, "refused like commons-compress: " + field);
            }
        }
    }

    /** Long names as GNU tar writes them, in both its formats, still read: the guard refuses only what is oversized. */
    @Test
    void longNamesFromGnuTarInBothFormatsStillRead() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        String longName = "objects/" + "n".repeat(180) + ".yaml";
        Files.createDirectories(src.resolve(longName).getParent());
        Files.writeString(src.resolve("manifest.json"), "{}");
        Files.writeString(src.resolve(longName), "kind: X\n");
        for (String format : List.of("gnu", "posix")) {
            Path out = dir.resolve(format + ".tar");
            Process p = new ProcessBuilder("tar", "--format=" + format, "-cf", out.toString(), "-C", src.toString(), "manifest.json", longName)
                    .redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            ArchiveContents c = ArchiveReader.read(out, ArchiveLimits.DEFAULT);
            assertEquals("kind: X\n", new String(c.entry(longName).orElseThrow(), StandardCharsets.UTF_8), format);
        }
    }

    @Test
    void ourOwnLongNamesStillRead() {
        String longPath = "objects/metal3.io/v1alpha1/BareMetalHost/metal3/" + "n".repeat(200) + ".yaml";
        List<ArchiveWriter.Source> sources = new ArrayList<>(TestArchives.sources());
        sources.add(new ArchiveWriter.Source(new Manifest.Entry(longPath, Manifest.Entry.OBJECT, "metal3.io", "v1alpha1", "BareMetalHost",
                "baremetalhosts", "metal3", "n".repeat(200), 0, null, false, false), () -> "kind: BareMetalHost\n".getBytes(StandardCharsets.UTF_8)));
        Path file = dir.resolve("ours.tar.gz");
        ArchiveWriter.write(file, TestArchives.manifest(), sources, java.util.Optional.empty());
        ArchiveContents c = ArchiveReader.read(file, ArchiveLimits.DEFAULT);
        assertEquals(List.of(), c.problems());
        assertTrue(c.entry(longPath).isPresent(), "a PAX long name is read");
    }

    private static byte[] paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.length() + 1;
        while (Integer.toString(len).length() + body.length() != len) {
            len++;
        }
        return (len + body).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withPad(byte[] data) {
        return Bombs.concat(data, Bombs.pad(data.length));
    }

    private static byte[] tar(byte[]... blocks) {
        return Bombs.concat(Bombs.concat(blocks), new byte[1024]);
    }
}

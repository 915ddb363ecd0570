package io.pivotctl.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each damage gives exit 3 (INVALID) with a message naming the problem. */
class ArchiveCorruptionTest {

    @TempDir
    Path dir;
    Path good;
    Map<String, byte[]> entries;
    Map<String, byte[]> original;

    static final String BMH = EntryPaths.object("metal3.io", "v1alpha1", "BareMetalHost", "metal3", "node-0");
    static final String SECRET = EntryPaths.secret("metal3", "node-0-bmc");

    @BeforeEach
    void writeGood() throws IOException {
        good = dir.resolve("good.tar");
        TestArchives.write(good);
        entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(good))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        original = new LinkedHashMap<>(entries);
    }

    private List<String> errorsOf(Path file) {
        ArchiveContents c = ArchiveReader.read(file, ArchiveLimits.DEFAULT);
        return ArchiveValidator.validate(c, TestArchives.lenientChecks()).report().errors();
    }

    /** The entries as a tar; a changed manifest gets a summary in step with it (the check under test is another one). */
    private Path rewrite(Consumer<TarArchiveOutputStream> extra) throws IOException {
        if (entries.containsKey(EntryPaths.SUMMARY) && !java.util.Arrays.equals(entries.get(EntryPaths.MANIFEST), original.get(EntryPaths.MANIFEST))) {
            try {
                entries.put(EntryPaths.SUMMARY, TestArchives.summaryFor(entries.get(EntryPaths.MANIFEST), entries.get(EntryPaths.SUMMARY)));
            } catch (PivotctlException unreadable) {
                // a manifest the test made unreadable: the reader refuses it before the summary matters
            }
        }
        Path out = dir.resolve("bad-" + System.nanoTime() + ".tar");
        try (OutputStream os = Files.newOutputStream(out); TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                put(tar, e.getKey(), e.getValue());
            }
            extra.accept(tar);
        }
        return out;
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] data) {
        try {
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setSize(data.length);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] flip(byte[] data, int index) {
        byte[] copy = data.clone();
        copy[index] ^= 0x04;
        return copy;
    }

    @Test
    void bitFlipInAnObjectIsNamed() throws IOException {
        entries.put(BMH, flip(entries.get(BMH), 10));
        List<String> errors = errorsOf(rewrite(t -> { }));
        assertEquals(List.of("entry '" + BMH + "' is corrupt: size/sha256 differ from the manifest (expected "
                + entries.get(BMH).length + " bytes, found " + entries.get(BMH).length + ")"), errors);
    }

    @Test
    void bitFlipInSecretCiphertextAndLeasesAreNamed() throws IOException {
        entries.put(SECRET, flip(entries.get(SECRET), 3));
        entries.put(EntryPaths.LEASES, flip(entries.get(EntryPaths.LEASES), 0));
        List<String> errors = errorsOf(rewrite(t -> { }));
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains(EntryPaths.LEASES) || errors.get(1).contains(EntryPaths.LEASES));
        assertTrue(errors.stream().anyMatch(e -> e.contains(SECRET) && e.contains("corrupt")));
    }

    @Test
    void bitFlipInTheManifestIsInvalidJsonOrMismatch() throws IOException {
        byte[] m = entries.get(EntryPaths.MANIFEST);
        entries.put(EntryPaths.MANIFEST, flip(m, 0)); // '{' becomes '\x7f'
        PivotctlException ex = assertThrows(PivotctlException.class, () -> errorsOf(rewrite(t -> { })));
        assertEquals(Outcome.INVALID, ex.outcome());
        assertTrue(ex.getMessage().startsWith("manifest.json is not valid JSON"), ex.getMessage());
    }

    @Test
    void truncationIsReportedAsTruncated() throws IOException {
        byte[] all = Files.readAllBytes(good);
        for (int cut : new int[] {100, 512 + 50, all.length / 2, all.length - 1024 - 1}) {
            Path t = dir.resolve("t" + cut + ".tar");
            Files.write(t, java.util.Arrays.copyOf(all, cut));
            PivotctlException ex = assertThrows(PivotctlException.class, () -> errorsOf(t), "cut at " + cut);
            assertEquals(Outcome.INVALID, ex.outcome());
            assertTrue(ex.getMessage().contains("truncated") || ex.getMessage().contains("corrupt"), ex.getMessage());
        }
    }

    @Test
    void truncatedGzipIsReported() throws IOException {
        Path gz = dir.resolve("x.tar.gz");
        TestArchives.write(gz);
        byte[] all = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(all, all.length - 40));
        PivotctlException ex = assertThrows(PivotctlException.class, () -> errorsOf(gz));
        assertTrue(ex.getMessage().contains("truncated") || ex.getMessage().contains("corrupt"), ex.getMessage());
    }

    @Test
    void missingExtraAndDuplicateEntries() throws IOException {
        entries.remove(BMH);
        Path file = rewrite(t -> {
            put(t, "objects/core/v1/ConfigMap/metal3/extra.yaml", "kind: ConfigMap".getBytes(StandardCharsets.UTF_8));
            put(t, SECRET, TestArchives.FAKE_CIPHERTEXT);
        });
        ArchiveContents c = ArchiveReader.read(file, ArchiveLimits.DEFAULT);
        List<String> errors = ArchiveValidator.validate(c, TestArchives.lenientChecks()).report().errors();
        assertTrue(errors.contains("entry '" + BMH + "' is listed in the manifest but missing from the archive"), errors.toString());
        assertTrue(errors.contains("entry 'objects/core/v1/ConfigMap/metal3/extra.yaml' is in the archive but not in the manifest"), errors.toString());
        assertTrue(errors.contains("entry '" + SECRET + "': duplicate entry"), errors.toString());
    }

    @Test
    void pathTraversalAbsoluteAndBackslashAreRejected() throws IOException {
        Path file = rewrite(t -> {
            put(t, "objects/../../etc/passwd", new byte[] {1});
            put(t, "/etc/shadow", new byte[] {1});
            put(t, "objects\\evil.yaml", new byte[] {1});
        });
        List<String> errors = errorsOf(file);
        assertTrue(errors.contains("entry 'objects/../../etc/passwd': path traversal ('..')"), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("etc/shadow") && e.contains("absolute path")), errors.toString());
        assertTrue(errors.contains("entry 'objects\\evil.yaml': name contains a backslash"), errors.toString());
    }

    @Test
    void symlinkHardlinkAndDeviceEntriesAreRejected() throws IOException {
        Path file = rewrite(t -> {
            try {
                TarArchiveEntry link = new TarArchiveEntry("objects/link.yaml", TarConstants.LF_SYMLINK);
                link.setLinkName("/etc/passwd");
                t.putArchiveEntry(link);
                t.closeArchiveEntry();
                TarArchiveEntry hard = new TarArchiveEntry("objects/hard.yaml", TarConstants.LF_LINK);
                hard.setLinkName(BMH);
                t.putArchiveEntry(hard);
                t.closeArchiveEntry();
                TarArchiveEntry dev = new TarArchiveEntry("objects/dev", TarConstants.LF_CHR);
                t.putArchiveEntry(dev);
                t.closeArchiveEntry();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> errors = errorsOf(file);
        assertTrue(errors.contains("entry 'objects/link.yaml': not a regular file (symbolic link to '/etc/passwd')"), errors.toString());
        assertTrue(errors.contains("entry 'objects/hard.yaml': not a regular file (hard link to '" + BMH + "')"), errors.toString());
        assertTrue(errors.contains("entry 'objects/dev': not a regular file (device)"), errors.toString());
    }

    @Test
    void oversizedEntryAndTooManyEntriesHitTheLimits() {
        PivotctlException big = assertThrows(PivotctlException.class,
                () -> ArchiveReader.read(good, new ArchiveLimits(100, 64, 1L << 30)));
        assertTrue(big.getMessage().matches("entry '.*' is \\d+ bytes, over the limit of 64"), big.getMessage());
        PivotctlException many = assertThrows(PivotctlException.class, () -> ArchiveReader.read(good, new ArchiveLimits(2, 1 << 20, 1L << 30)));
        assertEquals("archive has more than 2 entries (limit)", many.getMessage());
        PivotctlException total = assertThrows(PivotctlException.class, () -> ArchiveReader.read(good, new ArchiveLimits(100, 1 << 20, 1000)));
        assertEquals("archive content exceeds the limit of 1000 bytes", total.getMessage());
    }

    @Test
    void unknownMajorVersionIsRefusedWithBothVersions() throws IOException {
        String m = new String(entries.get(EntryPaths.MANIFEST), StandardCharsets.UTF_8).replace("\"formatVersion\" : \"" + Manifest.FORMAT_VERSION + "\"", "\"formatVersion\" : \"2.0\"");
        entries.put(EntryPaths.MANIFEST, m.getBytes(StandardCharsets.UTF_8));
        PivotctlException ex = assertThrows(PivotctlException.class, () -> errorsOf(rewrite(t -> { })));
        assertEquals(Outcome.INVALID, ex.outcome());
        assertTrue(ex.getMessage().startsWith("archive format 2.0 is not supported"), ex.getMessage());
        assertTrue(ex.getMessage().contains("reads format 1.x"), ex.getMessage());
    }

    @Test
    void higherMinorVersionWithUnknownFieldsIsAccepted() throws IOException {
        String m = new String(entries.get(EntryPaths.MANIFEST), StandardCharsets.UTF_8)
                .replace("\"formatVersion\" : \"" + Manifest.FORMAT_VERSION + "\"", "\"formatVersion\" : \"1.7\", \"futureField\" : {\"x\" : 1}");
        entries.put(EntryPaths.MANIFEST, m.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), errorsOf(rewrite(t -> { })));
    }

    @Test
    void objectThatDoesNotMatchItsEntryIsNamed() throws IOException {
        // a namespace that does not match its path/entry; the manifest digest is patched so only identity differs
        byte[] changed = new String(entries.get(BMH), StandardCharsets.UTF_8).replace("namespace: \"metal3\"", "namespace: \"other\"").getBytes(StandardCharsets.UTF_8);
        String manifest = new String(entries.get(EntryPaths.MANIFEST), StandardCharsets.UTF_8)
                .replace(Digests.sha256(entries.get(BMH)), Digests.sha256(changed))
                .replace("\"size\" : " + entries.get(BMH).length + ",", "\"size\" : " + changed.length + ",");
        entries.put(BMH, changed);
        entries.put(EntryPaths.MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
        List<String> errors = errorsOf(rewrite(t -> { }));
        assertEquals(List.of("entry '" + BMH + "' holds BareMetalHost.metal3.io other/node-0 but the manifest says BareMetalHost.metal3.io metal3/node-0"), errors);
    }

    @Test
    void aSecretThatDecryptsToAnotherSecretIsNamedWithoutItsContent() {
        io.pivotctl.crypto.AgeIdentity key = io.pivotctl.crypto.AgeIdentity.generate();
        byte[] other = """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: someone-else
                  namespace: metal3
                data:
                  password: dG9wLXNlY3JldC1ibWMtcGFzc3dvcmQ=
                """.getBytes(StandardCharsets.UTF_8);
        byte[] sealed = new io.pivotctl.crypto.SecretSealer(List.of(key.recipient())).seal(other);
        List<ArchiveWriter.Source> sources = new ArrayList<>();
        for (ArchiveWriter.Source src : TestArchives.sources()) {
            sources.add(src.entry().path().equals(SECRET) ? new ArchiveWriter.Source(src.entry(), () -> sealed) : src);
        }
        Path file = dir.resolve("swapped-secret.tar");
        ArchiveWriter.write(file, TestArchives.manifest(), sources, java.util.Optional.empty());
        ArchiveChecks checks = TestArchives.lenientChecks().withDecryptor(io.pivotctl.crypto.SecretOpener.fromIdentities(List.of(key))::open);
        List<String> errors = ArchiveValidator.validate(ArchiveReader.read(file, ArchiveLimits.DEFAULT), checks).report().errors();
        assertEquals(List.of("entry '" + SECRET + "' holds Secret metal3/someone-else but the manifest says Secret metal3/node-0-bmc"), errors);
        assertFalse(errors.toString().contains("dG9wLXNl"), "the decrypted value is never echoed");
    }

    @Test
    void notATarAndEmptyFileAreClear() throws IOException {
        Path junk = dir.resolve("junk.tar");
        Files.writeString(junk, "this is not an archive at all, just text that is long enough".repeat(20));
        PivotctlException ex = assertThrows(PivotctlException.class, () -> ArchiveReader.read(junk, ArchiveLimits.DEFAULT));
        assertEquals(Outcome.INVALID, ex.outcome());
        Path empty = Files.createFile(dir.resolve("empty.tar"));
        PivotctlException ex2 = assertThrows(PivotctlException.class, () -> ArchiveReader.read(empty, ArchiveLimits.DEFAULT));
        assertTrue(ex2.getMessage().startsWith("not a pivotctl archive"), ex2.getMessage());
        assertFalse(ex2.getMessage().contains("\n"));
        PivotctlException missing = assertThrows(PivotctlException.class, () -> ArchiveReader.read(dir.resolve("nope.tar"), ArchiveLimits.DEFAULT));
        assertEquals("archive " + dir.resolve("nope.tar") + " does not exist", missing.getMessage());
    }

    @Test
    void aFormatOneZeroManifestNotFirstIsReported() throws IOException {
        // format 1.0 has no summary: its manifest must be the first entry
        entries.remove(EntryPaths.SUMMARY);
        entries.put(EntryPaths.MANIFEST, new String(entries.get(EntryPaths.MANIFEST), StandardCharsets.UTF_8)
                .replace("\"formatVersion\" : \"" + Manifest.FORMAT_VERSION + "\"", "\"formatVersion\" : \"1.0\"").getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> reordered = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(entries.keySet());
        reordered.put(keys.get(1), entries.get(keys.get(1)));
        entries.forEach(reordered::putIfAbsent);
        entries = reordered;
        assertTrue(errorsOf(rewrite(t -> { })).contains("manifest.json is not the first entry (nor the second, after summary.json)"));
        assertEquals(List.of(), ArchiveReader.read(new ByteArrayInputStream(Files.readAllBytes(good)), ArchiveLimits.DEFAULT).problems());
    }
}

package io.pivotctl.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchiveRoundTripTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"backup.tar", "backup.tar.gz", "backup.tgz"})
    void writtenArchiveReadsBackAndValidates(String name) {
        Path file = dir.resolve(name);
        Manifest written = TestArchives.write(file);
        ArchiveContents contents = ArchiveReader.read(file, ArchiveLimits.DEFAULT);
        assertEquals(List.of(), contents.problems());
        Manifest read = ManifestCodec.parse(contents.manifestBytes());
        assertEquals(written, read);
        assertEquals(5, read.entries().size());
        assertArrayEquals(TestArchives.LEASES, contents.entry(EntryPaths.LEASES).orElseThrow());
        ArchiveValidator.Result result = ArchiveValidator.validate(contents, TestArchives.lenientChecks());
        assertEquals(List.of(), result.report().errors());
        assertEquals(3, result.objects().size(), "objects parse; the Secret is not decrypted without a key");
        assertEquals("provisioned", result.objects().stream().filter(o -> o.id().kind().equals("BareMetalHost")).findFirst()
                .orElseThrow().object().at("/status/provisioning/state").asText());
    }

    @Test
    void gzipIsDetectedByContentNotName() throws IOException {
        Path gz = dir.resolve("a.tar.gz");
        TestArchives.write(gz);
        Path renamed = Files.move(gz, dir.resolve("a.tar"));
        assertTrue(ArchiveReader.read(renamed, ArchiveLimits.DEFAULT).problems().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"d.tar", "d.tar.gz"})
    void sameObjectsGiveByteIdenticalArchives(String name) throws IOException {
        Path a = dir.resolve("a-" + name);
        Path b = dir.resolve("b-" + name);
        TestArchives.write(a);
        // a different source order must not matter
        List<ArchiveWriter.Source> reversed = new ArrayList<>(TestArchives.sources());
        java.util.Collections.reverse(reversed);
        ArchiveWriter.write(b, TestArchives.manifest(), reversed, Optional.empty());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void archiveFileIsPrivateAndNoTempFileRemains() throws IOException {
        Path file = dir.resolve("p.tar.gz");
        TestArchives.write(file);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList());
        }
    }

    @Test
    void manifestConformsToTheSchemaAndTheSchemaCanFail() {
        Path file = dir.resolve("s.tar");
        TestArchives.write(file);
        byte[] manifest = ArchiveReader.read(file, ArchiveLimits.DEFAULT).manifestBytes();
        assertEquals(List.of(), ManifestCodec.schemaProblems(manifest));
        String broken = new String(manifest, StandardCharsets.UTF_8).replace("\"archiveId\"", "\"archiveIdentifier\"")
                .replace("\"role\" : \"secret\"", "\"role\" : \"plaintext\"");
        List<String> problems = ManifestCodec.schemaProblems(broken.getBytes(StandardCharsets.UTF_8));
        assertTrue(problems.stream().anyMatch(p -> p.contains("archiveId")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("role")), problems.toString());
    }

    @Test
    void gnuTarListsTheArchiveInOrderWithFixedOwnerAndTime() throws Exception {
        Path file = dir.resolve("g.tar.gz");
        Manifest m = TestArchives.write(file);
        Process p = new ProcessBuilder("tar", "--numeric-owner", "-tvzf", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        List<String> names = lines.stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
        List<String> expected = new ArrayList<>();
        expected.add(EntryPaths.SUMMARY);
        expected.add(EntryPaths.MANIFEST);
        m.entries().forEach(e -> expected.add(e.path()));
        assertEquals(expected, names);
        for (String l : lines) {
            assertTrue(l.startsWith("-rw-r--r-- 0/0"), l);
            assertTrue(l.contains("1970-01-01"), l);
        }
    }

    @Test
    void longAndNonAsciiNamesUsePaxAndSurviveGnuTar() throws Exception {
        String longName = "n".repeat(180);
        Manifest.Entry e = new Manifest.Entry(EntryPaths.object("metal3.io", "v1alpha1", "BareMetalHost", "metal3", longName),
                Manifest.Entry.OBJECT, "metal3.io", "v1alpha1", "BareMetalHost", "baremetalhosts", "metal3", longName, 0, null, false, false);
        Path file = dir.resolve("long.tar");
        List<ArchiveWriter.Source> sources = new ArrayList<>(TestArchives.sources());
        sources.add(new ArchiveWriter.Source(e, () -> ("apiVersion: metal3.io/v1alpha1\nkind: BareMetalHost\nmetadata: {name: " + longName
                + ", namespace: metal3}\n").getBytes(StandardCharsets.UTF_8)));
        ArchiveWriter.write(file, TestArchives.manifest(), sources, Optional.empty());
        ArchiveContents c = ArchiveReader.read(file, ArchiveLimits.DEFAULT);
        assertTrue(c.entry(e.path()).isPresent());
        Process p = new ProcessBuilder("tar", "-tf", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(out.lines().anyMatch(e.path()::equals), out);
        assertFalse(out.contains("PaxHeaders"), "PAX headers must be consumed by tar, not listed as files");
    }
}

package io.pivotctl.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.crypto.ManifestSigner;
import io.pivotctl.testing.Signers;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format 1.1's summary.json (section 3.8) and signatures over the manifest's SHA-256 (section 4.1): the writer puts a
 * summary first that says what the archive holds; a reader refuses, in one line, an archive whose summary contradicts
 * what it reads, and checks either signature scheme with the manifest streamed, never held.
 */
class SummaryAndSignatureTest {

    @TempDir
    Path dir;

    private ArchiveContents written(Optional<ArchiveWriter.Signer> signer) {
        Path file = dir.resolve("a-" + System.nanoTime() + ".tar");
        ArchiveWriter.write(file, TestArchives.manifest(), TestArchives.sources(), signer);
        return ArchiveReader.read(file, ArchiveLimits.DEFAULT);
    }

    private static ArchiveChecks verifying(KeyPair key) {
        return TestArchives.lenientChecks().withSignatureVerifier((m, sig) -> ManifestSigner.verify(new ManifestSigner.SignedManifest() {
            @Override
            public String sha256() {
                return m.digest().sha256();
            }

            @Override
            public InputStream open() {
                return m.source().open();
            }
        }, sig, key.getPublic()));
    }

    private static PivotctlException refused(ArchiveContents c, ArchiveChecks checks) {
        PivotctlException e = assertThrows(PivotctlException.class, () -> ArchiveValidator.validate(c, checks));
        assertEquals(Outcome.INVALID, e.outcome());
        assertFalse(e.getMessage().contains("\n"));
        return e;
    }

    private Summary summaryOf(ArchiveContents c) {
        return SummaryCodec.parse(c.entry(EntryPaths.SUMMARY).orElseThrow(), HeldBudget.unbounded("test"));
    }

    @Test
    void theWriterPutsASummaryFirstThatSaysWhatTheArchiveHolds() {
        KeyPair key = ManifestSigner.generate();
        ArchiveContents c = written(Optional.of(Signers.of(key.getPrivate())));
        assertEquals(EntryPaths.SUMMARY, c.order().get(0), "the first entry, before the manifest");
        Summary s = summaryOf(c);
        assertEquals(Manifest.FORMAT_VERSION, s.formatVersion());
        assertEquals(TestArchives.ARCHIVE_ID, s.archiveId());
        assertEquals("ed25519-sha256", s.signature());
        assertEquals(new Summary.ManifestDigest(c.manifestBytes().length, Digests.sha256(c.manifestBytes())), s.manifest());
        assertEquals(4, s.contents().objects(), "three objects and a Secret");
        assertEquals(1, s.contents().secrets());
        assertEquals(1, s.contents().hosts());
        assertEquals(Map.of("provisioned", 1), s.contents().hostsPerState());
        assertEquals(List.of("metal3/prod-a"), s.contents().clusters());
        assertEquals(1, s.contents().leases());
        assertEquals(Map.of("BareMetalHost.metal3.io", 1, "Cluster.cluster.x-k8s.io", 1, "HardwareData.metal3.io", 1, "Secret", 1),
                s.contents().objectsPerKind());
        assertTrue(c.entry(EntryPaths.SUMMARY).orElseThrow().length < 4096, "a few KB at most");
        ArchiveValidator.Result r = ArchiveValidator.validate(c, verifying(key));
        assertEquals(List.of(), r.report().errors());
        assertEquals(s, r.summary(), "what the reader found is what the summary says");
    }

    @Test
    void aSummaryThatContradictsTheManifestIsRefusedInOneLine() throws Exception {
        ArchiveContents c = written(Optional.empty());
        ObjectNode summary = (ObjectNode) Json.MAPPER.readTree(c.entry(EntryPaths.SUMMARY).orElseThrow());
        ((ObjectNode) summary.get("contents")).put("hosts", 5000);
        ((ObjectNode) summary.get("contents")).putArray("clusters").add("metal3/prod-z");
        Path changed = TestArchives.rewrite(dir.resolve("c.tar"), c, Map.of(EntryPaths.SUMMARY, Json.MAPPER.writeValueAsBytes(summary)));
        assertEquals("summary.json contradicts the archive (contents.hosts, contents.clusters): it was changed or damaged; nothing else was read",
                refused(ArchiveReader.read(changed, ArchiveLimits.DEFAULT), TestArchives.lenientChecks()).getMessage());
    }

    @Test
    void hostStatesAreComparedOnceTheHostsAreRead() throws Exception {
        ArchiveContents c = written(Optional.empty());
        ObjectNode summary = (ObjectNode) Json.MAPPER.readTree(c.entry(EntryPaths.SUMMARY).orElseThrow());
        ((ObjectNode) summary.get("contents")).putObject("hostsPerState").put("available", 1);
        Path changed = TestArchives.rewrite(dir.resolve("h.tar"), c, Map.of(EntryPaths.SUMMARY, Json.MAPPER.writeValueAsBytes(summary)));
        assertEquals("summary.json contradicts the archive (contents.hostsPerState): it was changed or damaged; nothing else was read",
                refused(ArchiveReader.read(changed, ArchiveLimits.DEFAULT), TestArchives.lenientChecks()).getMessage());
    }

    @Test
    void aFormatOneOneArchiveWithoutItsSummaryOrWithADifferentManifestIsRefused() {
        ArchiveContents c = written(Optional.empty());
        Map<String, byte[]> dropped = new HashMap<>();
        dropped.put(EntryPaths.SUMMARY, null);
        Path without = TestArchives.rewrite(dir.resolve("w.tar"), c, dropped);
        assertEquals("archive of format 1.1 has no summary.json before its manifest: it was changed or not written by pivotctl",
                refused(ArchiveReader.read(without, ArchiveLimits.DEFAULT), TestArchives.lenientChecks()).getMessage());

        byte[] padded = new String(c.manifestBytes(), StandardCharsets.UTF_8).replaceFirst("\\{", "{ ").getBytes(StandardCharsets.UTF_8);
        ArchiveContents other = new ArchiveContents(padded, c.signature(), c.entries(), c.order(), c.problems());
        assertEquals("summary.json contradicts the archive (manifest.size, manifest.sha256): it was changed or damaged; nothing else was read",
                refused(other, TestArchives.lenientChecks()).getMessage());
    }

    @Test
    void aListingRefusesAFormatOneOneManifestWithoutItsSummaryLikeValidateDoes() throws Exception {
        Map<String, byte[]> dropped = new HashMap<>();
        dropped.put(EntryPaths.SUMMARY, null);
        Path without = TestArchives.rewrite(dir.resolve("listed.tar"), written(Optional.empty()), dropped);
        try (InputStream in = Files.newInputStream(without)) {
            PivotctlException e = assertThrows(PivotctlException.class,
                    () -> ArchiveReader.start(in, ArchiveLimits.DEFAULT, HeldBudget.unbounded("test"), true));
            assertEquals("archive of format 1.1 has no summary.json before its manifest: it was changed or not written by pivotctl", e.getMessage());
        }
    }

    @Test
    void aOneOneSignatureVerifiesByTheDigestAndAnyChangeOrOtherKeyFailsFirst() {
        KeyPair key = ManifestSigner.generate();
        ArchiveContents c = written(Optional.of(Signers.of(key.getPrivate())));
        String sig = new String(c.signature().orElseThrow(), StandardCharsets.US_ASCII);
        assertTrue(sig.startsWith("pivotctl-signature ed25519-sha256\n"), sig);
        assertEquals(List.of(), ArchiveValidator.validate(c, verifying(key)).report().errors());
        assertEquals("manifest signature (ed25519-sha256) does not verify with the given key: the archive was changed or signed by another key",
                refused(c, verifying(ManifestSigner.generate())).getMessage());

        Path unsigned = TestArchives.rewrite(dir.resolve("u.tar"), written(Optional.empty()), Map.of());
        assertEquals("archive is not signed (no manifest.json.sig) but a verify key was given",
                refused(ArchiveReader.read(unsigned, ArchiveLimits.DEFAULT), verifying(key)).getMessage());

        byte[] future = "pivotctl-signature ed448-sha3\nAAAA\n".getBytes(StandardCharsets.US_ASCII);
        Path unknown = TestArchives.rewrite(dir.resolve("f.tar"), c, Map.of(EntryPaths.SIGNATURE, future));
        PivotctlException e = refused(ArchiveReader.read(unknown, ArchiveLimits.DEFAULT), verifying(key));
        assertTrue(e.getMessage().startsWith("manifest.json.sig uses the signature scheme 'ed448-sha3', which pivotctl "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" does not know: use a newer pivotctl"), e.getMessage());
    }

    @Test
    void aOneZeroSignatureOfTheManifestsBytesStillVerifiesStreamed() throws Exception {
        KeyPair key = ManifestSigner.generate();
        Manifest oneZero = TestArchives.manifest().toBuilder().formatVersion("1.0").build();
        Path file = dir.resolve("old.tar");
        ArchiveWriter.write(file, oneZero, TestArchives.sources(), Optional.empty());
        ArchiveContents c = ArchiveReader.read(file, ArchiveLimits.DEFAULT);
        // as pivotctl 0.1 wrote them: no summary, the manifest first, its exact bytes signed
        Map<String, byte[]> asWritten = new HashMap<>();
        asWritten.put(EntryPaths.SUMMARY, null);
        asWritten.put(EntryPaths.SIGNATURE, ManifestSigner.bytesSignatureFile(c.manifestBytes(), key.getPrivate()));
        ArchiveContents old = ArchiveReader.read(TestArchives.rewrite(dir.resolve("old-signed.tar"), c, asWritten), ArchiveLimits.DEFAULT);
        ArchiveValidator.Result r = ArchiveValidator.validate(old, verifying(key));
        assertEquals(List.of(), r.report().errors());
        assertEquals("ed25519", r.summary().signature());
        assertEquals("manifest signature (ed25519) does not verify with the given key: the archive was changed or signed by another key",
                refused(old, verifying(ManifestSigner.generate())).getMessage());
    }

    @Test
    void theKeptOneZeroArchivesAreSummarisedFromTheirStreamedManifests() throws Exception {
        for (String name : List.of("unsigned", "signed")) {
            Path kept = Path.of("src/test/resources/archives/1.0/" + name + ".tar.gz");
            ArchiveReader.Start start;
            try (InputStream in = Files.newInputStream(kept)) {
                start = ArchiveReader.start(in, ArchiveLimits.DEFAULT, HeldBudget.unbounded("test"), true).orElseThrow();
            }
            Summary s = start.summary();
            assertEquals("1.0", s.formatVersion(), name);
            assertEquals(name.equals("signed") ? "ed25519" : null, s.signature(), name);
            assertEquals(102, s.contents().objects(), name);
            assertEquals(32, s.contents().secrets(), name);
            assertEquals(6, s.contents().hosts(), name);
            assertEquals(7, s.contents().leases(), name);
            assertNull(s.contents().hostsPerState(), "in the hosts' objects, not in a 1.0 manifest");
            assertEquals(List.of("metal3/site-a", "metal3/site-b", "metal3/site-t"), s.contents().clusters(), name);
            try (InputStream in = Files.newInputStream(kept)) {
                assertFalse(ArchiveReader.start(in, ArchiveLimits.DEFAULT, HeldBudget.unbounded("test"), false).orElseThrow().summary() != null,
                        "from a prefix, a 1.0 archive only says that its manifest comes first");
            }
        }
    }
}

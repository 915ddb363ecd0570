package io.pivotctl.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The format's limits (section 1.1) hold while the manifest is read, before what breaks them is allocated, each
 * refusal one line naming the limit; what a parse keeps is charged to the read's budget as it is read.
 */
class ManifestLimitsTest {

    @TempDir
    Path dir;

    private static PivotctlException refused(Executable read) {
        PivotctlException e = assertThrows(PivotctlException.class, read);
        assertEquals(Outcome.INVALID, e.outcome(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().length() < 400, "a bounded message: " + e.getMessage().length());
        return e;
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static PivotctlException parseRefused(String manifest) {
        return refused(() -> ManifestCodec.parse(json(manifest), HeldBudget.unbounded("test")));
    }

    @Test
    void aStringKeyNumberOrNestingPastTheFormatsLimitIsRefusedByTheParser() {
        String v = "{\"formatVersion\":\"1.1\",";
        assertEquals("manifest.json has a string or key of more than 65536 characters (the format's limit)",
                parseRefused(v + "\"archiveId\":\"" + "a".repeat(70_000) + "\"}").getMessage());
        assertEquals("manifest.json has a string or key of more than 65536 characters (the format's limit)",
                parseRefused(v + "\"" + "k".repeat(70_000) + "\":1}").getMessage());
        assertEquals("manifest.json has a number of more than 64 characters (the format's limit)",
                parseRefused(v + "\"entries\":[{\"size\":" + "9".repeat(100) + "}]}").getMessage());
        assertEquals("manifest.json is nested more than 64 levels deep (the format's limit)",
                parseRefused(v + "\"x\":" + "[".repeat(100) + "]".repeat(100) + "}").getMessage());
        // the format check reads only the top level, skipping the rest: the limits hold there too
        assertEquals("manifest.json is nested more than 64 levels deep (the format's limit)",
                refused(() -> ManifestCodec.schemaProblems(json(v + "\"y\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + "}"))).getMessage());
    }

    @Test
    void aKeyTwiceInOneObjectIsRefused() {
        PivotctlException e = parseRefused("{\"formatVersion\":\"1.1\",\"archiveId\":\"a\",\"archiveId\":\"b\"}");
        assertTrue(e.getMessage().startsWith("manifest.json has a key twice in one object: "), e.getMessage());
        assertTrue(e.getMessage().contains("archiveId"), e.getMessage());
    }

    @Test
    void moreEntriesThanTheArchiveMayHoldStopAtTheFirstOneTooMany() {
        StringBuilder b = new StringBuilder("{\"formatVersion\":\"1.1\",\"entries\":[{}");
        b.append(",{}".repeat(10)).append("]}");
        byte[] m = json(b.toString());
        PivotctlException e = refused(() -> ManifestCodec.parse(() -> new java.io.ByteArrayInputStream(m), HeldBudget.unbounded("test"), 10));
        assertEquals("manifest.json has more than 10 elements in 'entries' (the limit of entries in an archive)", e.getMessage());
        assertEquals(11, ManifestCodec.parse(m).entries().size(), "within the format's own limit of " + FormatLimits.MAX_ELEMENTS);
    }

    @Test
    void whatTheParseKeepsIsChargedAsItIsReadAndStopsAtTheBudget() {
        StringBuilder b = new StringBuilder("{\"formatVersion\":\"1.1\",\"warnings\":[");
        for (int i = 0; i < 20_000; i++) {
            b.append(i == 0 ? "" : ",").append('"').append("warning number ").append(i).append('"');
        }
        byte[] m = json(b.append("]}").toString());
        HeldBudget counted = HeldBudget.unbounded("test");
        ManifestCodec.parse(m, counted);
        // 20,000 distinct strings of about 19 characters, each an instance and a list slot
        assertTrue(counted.total() > 20_000L * (UntrustedJson.STRING_COST + 19), "charged " + counted.total());
        PivotctlException e = refused(() -> ManifestCodec.parse(m, new HeldBudget(counted.total() / 2, 1, "what the archive needs held in memory")));
        assertEquals("what the archive needs held in memory exceeds the limit of " + counted.total() / 2 + " bytes", e.getMessage());
        // the same string again is kept once
        StringBuilder same = new StringBuilder("{\"formatVersion\":\"1.1\",\"warnings\":[");
        for (int i = 0; i < 20_000; i++) {
            same.append(i == 0 ? "" : ",").append("\"the same warning again\"");
        }
        HeldBudget shared = HeldBudget.unbounded("test");
        ManifestCodec.parse(json(same.append("]}").toString()), shared);
        assertTrue(shared.total() < counted.total() / 4, "shared " + shared.total() + " vs distinct " + counted.total());
    }

    @Test
    void theSchemaCheckHoldsTheRestOfTheDocumentWithinItsOwnBound() {
        StringBuilder b = new StringBuilder("{\"formatVersion\":\"1.1\",\"warnings\":[");
        for (int i = 0; i < 700_000; i++) {
            b.append(i == 0 ? "" : ",").append("\"w").append(i).append('"');
        }
        PivotctlException e = refused(() -> ManifestCodec.schemaProblems(json(b.append("]}").toString())));
        assertEquals("manifest.json outside its entries, secrets and graph exceeds the limit of " + ManifestCodec.SKELETON_BYTES + " bytes", e.getMessage());
    }

    @Test
    void aProblemQuotesAnUnlistedEntrysNameCut() {
        Path file = dir.resolve("a.tar");
        TestArchives.write(file);
        ArchiveContents c = ArchiveReader.read(file, ArchiveLimits.DEFAULT);
        String name = "objects/" + "x".repeat(3000) + ".yaml";
        Path changed = TestArchives.rewrite(dir.resolve("b.tar"), c, Map.of(name, new byte[1]));
        List<String> errors = ArchiveValidator.validate(ArchiveReader.read(changed, ArchiveLimits.DEFAULT), TestArchives.lenientChecks()).report().errors();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("entry 'objects/xxx") && errors.get(0).endsWith("...' is in the archive but not in the manifest"), errors.get(0));
        assertTrue(errors.get(0).length() < 300, "cut: " + errors.get(0).length());
    }

    @Test
    void anEntryNamePastPathMaxAndOversizedSummaryOrSignatureAreRefusedAtTheirHeaders() {
        Path file = dir.resolve("a.tar");
        TestArchives.write(file);
        ArchiveContents c = ArchiveReader.read(file, ArchiveLimits.DEFAULT);
        Path longName = TestArchives.rewrite(dir.resolve("n.tar"), c, Map.of("objects/" + "y".repeat(5000), new byte[1]));
        assertEquals("archive has an entry name of 5008 characters, over the format's limit of 4096: 'objects/" + "y".repeat(192) + "...'",
                refused(() -> ArchiveReader.read(longName, ArchiveLimits.DEFAULT)).getMessage());
        Path bigSig = TestArchives.rewrite(dir.resolve("s.tar"), c, Map.of(EntryPaths.SIGNATURE, new byte[5000]));
        assertEquals("entry 'manifest.json.sig' is 5000 bytes, over the limit of 4096",
                refused(() -> ArchiveReader.read(bigSig, ArchiveLimits.DEFAULT)).getMessage());
        Path bigSummary = TestArchives.rewrite(dir.resolve("m.tar"), c, Map.of(EntryPaths.SUMMARY, new byte[(1 << 20) + 1]));
        assertEquals("entry 'summary.json' is 1048577 bytes, over the limit of 1048576",
                refused(() -> ArchiveReader.read(bigSummary, ArchiveLimits.DEFAULT)).getMessage());
    }
}

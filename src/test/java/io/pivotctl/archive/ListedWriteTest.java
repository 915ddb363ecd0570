package io.pivotctl.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The writer of a manifest complete before its entries (rekey) takes only the entries it lists, in order, with their bytes. */
class ListedWriteTest {

    private static final byte[] A = "a: \"1\"\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "leases\n".getBytes(StandardCharsets.UTF_8);

    private static ArchiveWriter.Listed listed() {
        Manifest m = TestArchives.manifest().withEntries(List.of(
                Manifest.Entry.crd("a.example.io").withDigest(A.length, Digests.sha256(A)),
                Manifest.Entry.leases().withDigest(B.length, Digests.sha256(B))));
        return new ArchiveWriter.Listed(m, Map.of());
    }

    @Test
    void theListedEntriesInOrderMakeAnArchiveWhoseManifestIsTheListedOne() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveWriter.Written w = ArchiveWriter.writeListed(out, false, listed(), Optional.empty(), e -> {
            e.put("crds/a.example.io.yaml", A);
            e.put(EntryPaths.LEASES, B);
        });
        ArchiveContents c = ArchiveReader.read(new java.io.ByteArrayInputStream(out.toByteArray()), ArchiveLimits.DEFAULT);
        assertEquals(List.of(EntryPaths.SUMMARY, "crds/a.example.io.yaml", EntryPaths.LEASES), c.order());
        assertEquals(w.manifest(), ManifestCodec.parse(c.manifestBytes()));
    }

    @Test
    void anEntryOutOfOrderWithOtherBytesOrMissingIsRefused() {
        IllegalStateException order = assertThrows(IllegalStateException.class, () -> ArchiveWriter.writeListed(new ByteArrayOutputStream(), false,
                listed(), Optional.empty(), e -> e.put(EntryPaths.LEASES, B)));
        assertTrue(order.getMessage().contains("not the next one"), order.getMessage());
        IllegalStateException bytes = assertThrows(IllegalStateException.class, () -> ArchiveWriter.writeListed(new ByteArrayOutputStream(), false,
                listed(), Optional.empty(), e -> e.put("crds/a.example.io.yaml", B)));
        assertTrue(bytes.getMessage().contains("not the bytes"), bytes.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> ArchiveWriter.writeListed(new ByteArrayOutputStream(), false,
                listed(), Optional.empty(), e -> e.put("crds/a.example.io.yaml", A)));
        assertTrue(missing.getMessage().contains("never written"), missing.getMessage());
    }
}

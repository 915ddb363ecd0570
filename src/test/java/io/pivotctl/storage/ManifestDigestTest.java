package io.pivotctl.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ArchiveReader;
import io.pivotctl.archive.Digests;
import io.pivotctl.archive.ManifestCodec;
import io.pivotctl.testing.HandMadeArchive;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check after an upload to object storage compares manifests by digest, both streamed (a 5,000-host manifest is
 * about 100 MB): the digest read past in the stored archive must be the digest of the manifest's own bytes, and the
 * written manifest re-serialised must give those same bytes.
 */
class ManifestDigestTest {

    @TempDir
    Path dir;

    @Test
    void theStreamedDigestIsTheManifestEntrysDigestAndTheWrittenManifestReserialisesToIt() throws Exception {
        Path archive = new HandMadeArchive()
                .add(HandMadeArchive.yaml("apiVersion: metal3.io/v1alpha1\nkind: BareMetalHost\nmetadata: {name: h0, namespace: metal3, uid: u0}\n"
                        + "spec: {bootMACAddress: '00:5c:52:00:00:01'}\n"), "baremetalhosts", 0)
                .write(dir.resolve("a.tar.gz"));
        byte[] manifest = ArchiveReader.read(archive, ArchiveLimits.DEFAULT).manifestBytes();
        String streamed;
        try (InputStream in = Files.newInputStream(archive)) {
            streamed = HeadReader.manifestSha256(in);
        }
        assertEquals(Digests.sha256(manifest), streamed);
        assertEquals(Digests.sha256(manifest), new LocalArchive(archive).readHead().summary().manifest().sha256(),
                "the summary names the digest of the manifest's bytes as written");
    }

    @Test
    void anArchiveThatDoesNotStartWithItsManifestIsRefusedInOneLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("objects/x.yaml");
            e.setSize(data.length);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        PivotctlException e = assertThrows(PivotctlException.class,
                () -> HeadReader.manifestSha256(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(e.getMessage().contains("not a pivotctl archive") && !e.getMessage().contains("\n"), e.getMessage());
    }
}

package io.pivotctl.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading an archive as a stream: bodies are kept deflated and restored byte for byte, what a read holds is
 * accounted and stays well under the archive's content, and a read that would not fit stops with one line naming
 * the fix.
 */
class StreamedReadTest {

    @TempDir
    Path dir;

    @Test
    void compactBytesRestoreExactlyWhatWasKept() throws IOException {
        Random random = new Random(42);
        byte[] noise = new byte[300_000];
        random.nextBytes(noise);
        byte[] text = "apiVersion: metal3.io/v1alpha1\nkind: BareMetalHost\n".repeat(500).getBytes(StandardCharsets.UTF_8);
        for (byte[] original : List.of(new byte[0], new byte[] {0}, noise, text)) {
            CompactBytes c = CompactBytes.of(original);
            assertArrayEquals(original, c.bytes(), "restored from a byte array");
            assertArrayEquals(original, c.bytes(), "and again: nothing is consumed");
            assertEquals(original.length, c.length());
            try (InputStream in = CompactBytes.of(new java.io.ByteArrayInputStream(original), n -> { }).stream()) {
                assertArrayEquals(original, in.readAllBytes(), "kept from a stream, restored as a stream");
            }
        }
        assertTrue(CompactBytes.of(text).heldBytes() * 20 < text.length, "repetitive YAML is held in a fraction of its size");
        assertTrue(CompactBytes.of(noise).heldBytes() < noise.length + 1024, "noise costs about its size, not more");
        assertEquals("CompactBytes[" + text.length + " bytes, " + (CompactBytes.of(text).heldBytes() - CompactBytes.OVERHEAD) + " held]",
                CompactBytes.of(text).toString(), "never the content");
    }

    @Test
    void anArchivedObjectParsesAgainToTheSameObjectEachTime() {
        ObjectNode host = host(7);
        Manifest.Entry e = Manifest.Entry.object(new Manifest.Entry.ResourceKind("metal3.io", "v1alpha1", "BareMetalHost", "baremetalhosts"),
                "metal3", "node-7", true);
        ArchivedObject o = new ArchivedObject(e, host);
        assertEquals(host, o.object());
        assertNotSame(o.object(), o.object(), "a fresh instance each call: callers may change it");
        assertEquals("uid-7", o.uid());
        assertTrue(o.hasOwnerReferences());
    }

    @Test
    void aStreamedReadHoldsFarLessThanTheArchiveContentAndEveryObjectComesBackEqual() {
        int n = 3000;
        Path file = dir.resolve("many.tar.gz");
        long content = writeHosts(file, n);

        HeldBudget held = new HeldBudget(ArchiveLimits.DEFAULT.maxTotalBytes(), HeldBudget.HELD_HEAP_SHARE, "what the archive needs held in memory");
        ArchiveValidator.Result r = ArchiveValidator.validate(sink -> ArchiveReader.scan(file, ArchiveLimits.DEFAULT, held, sink),
                TestArchives.lenientChecks(), held);

        assertEquals(List.of(), r.report().errors());
        assertEquals(n + 1, r.objects().size(), "the hosts and their Cluster");
        Map<String, ArchivedObject> byName = new java.util.HashMap<>();
        r.objects().forEach(o -> byName.put(o.id().name(), o));
        for (int i = 0; i < n; i += 97) {
            assertEquals(Json.canonical(host(i)), byName.get("node-" + i).object(), "object " + i + " restored");
            assertEquals("uid-" + i, byName.get("node-" + i).uid());
        }
        assertEquals(held.total(), r.heldBytes());
        // the raw read held every byte of content plus names; the streamed one less, all per-object state included
        assertTrue(r.heldBytes() < content, "held " + r.heldBytes() + " of " + content + " content bytes");
        long bodies = 0;
        long kept = 0;
        for (ArchivedObject o : r.objects()) {
            bodies += o.entry().size();
            kept += o.heldBytes();
        }
        // each body deflated against the first of its kind, with its uid and fixed cost: under half of its text
        assertTrue(kept * 2 < bodies, "objects hold " + kept + " for " + bodies + " bytes of YAML");
    }

    @Test
    void aReadThatWouldNotFitTheHeapShareStopsNamingTheFix() {
        Path file = dir.resolve("some.tar.gz");
        writeHosts(file, 200);
        // as if this JVM had a 64 KiB heap
        HeldBudget tiny = new HeldBudget(ArchiveLimits.DEFAULT.maxTotalBytes(), HeldBudget.HELD_HEAP_SHARE, "what the archive needs held in memory",
                64 << 10);
        PivotctlException e = assertThrows(PivotctlException.class, () -> ArchiveValidator.validate(
                sink -> ArchiveReader.scan(file, ArchiveLimits.DEFAULT, tiny, sink), TestArchives.lenientChecks(), tiny));
        assertEquals("what the archive needs held in memory exceeds 32768 bytes, 1/2 of this JVM's maximum heap (0 MiB), the most it may hold"
                + " while parsing: run with a larger heap (PIVOTCTL_JAVA_OPTS=-Xmx1g)", e.getMessage());

        HeldBudget small = new HeldBudget(10_000, HeldBudget.HELD_HEAP_SHARE, "what the archive needs held in memory", 1L << 30);
        PivotctlException limit = assertThrows(PivotctlException.class, () -> ArchiveValidator.validate(
                sink -> ArchiveReader.scan(file, ArchiveLimits.DEFAULT, small, sink), TestArchives.lenientChecks(), small));
        assertEquals("what the archive needs held in memory exceeds the limit of 10000 bytes", limit.getMessage());
    }

    @Test
    void aManifestSchemaProblemInALongArrayIsNamedByItsPlaceInTheDocument() {
        Path file = dir.resolve("s.tar");
        TestArchives.write(file);
        String manifest = new String(ArchiveReader.read(file, ArchiveLimits.DEFAULT).manifestBytes(), StandardCharsets.UTF_8);
        String broken = manifest.replaceFirst("\"sha256\" : \"[0-9a-f]{64}\"", "\"sha256\" : \"not-a-digest\"");
        List<String> problems = ManifestCodec.schemaProblems(broken.getBytes(StandardCharsets.UTF_8));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("manifest.json $.entries[0].sha256: "), problems.toString());
    }

    @Test
    void aManifestWithoutItsGraphIsListedAsAProblemNotAFatalError() throws IOException {
        Path file = dir.resolve("g.tar");
        TestArchives.write(file);
        ArchiveContents c = ArchiveReader.read(file, ArchiveLimits.DEFAULT);
        ObjectNode manifest = (ObjectNode) Json.MAPPER.readTree(c.manifestBytes());
        manifest.remove("graph");
        ArchiveContents changed = TestArchives.withManifest(c, Json.MAPPER.writeValueAsBytes(manifest));
        List<String> errors = ArchiveValidator.validate(changed, TestArchives.lenientChecks()).report().errors();
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("manifest.json") && e.contains("graph")), errors.toString());
    }

    private static ObjectNode host(int i) {
        return TestArchives.yaml("""
                apiVersion: metal3.io/v1alpha1
                kind: BareMetalHost
                metadata:
                  name: node-%1$d
                  namespace: metal3
                  uid: uid-%1$d
                  labels: {cluster.x-k8s.io/cluster-name: prod-a}
                  ownerReferences: [{apiVersion: cluster.x-k8s.io/v1beta2, kind: Cluster, name: prod-a, uid: u-cluster}]
                spec: {bootMACAddress: "00:5c:52:31:%2$02x:%3$02x", online: true, bmc: {address: "redfish://10.0.%2$d.%3$d/redfish/v1/Systems/1", credentialsName: node-%1$d-bmc}}
                status:
                  provisioning: {state: provisioned, ID: id-%1$d, bootMode: UEFI}
                  hardwareProfile: unknown
                  operationalStatus: OK
                  poweredOn: true
                """.formatted(i, i / 256, i % 256));
    }

    /** An archive of {@code n} hosts (and the Cluster they name); returns its content bytes (manifest and entries). */
    private static long writeHosts(Path file, int n) {
        List<ArchiveWriter.Source> sources = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode o = host(i);
            Manifest.Entry e = Manifest.Entry.object(new Manifest.Entry.ResourceKind("metal3.io", "v1alpha1", "BareMetalHost", "baremetalhosts"),
                    "metal3", "node-" + i, true);
            sources.add(new ArchiveWriter.Source(e, () -> Json.YAML.writeValueAsBytes(Json.canonical(o))));
            ids.add("metal3.io/BareMetalHost/metal3/node-" + i);
        }
        ObjectNode cluster = TestArchives.objects().get(0);
        sources.add(new ArchiveWriter.Source(Manifest.Entry.object(new Manifest.Entry.ResourceKind("cluster.x-k8s.io", "v1beta2", "Cluster", "clusters"),
                "metal3", "prod-a", false), () -> Json.YAML.writeValueAsBytes(Json.canonical(cluster))));
        Manifest base = TestArchives.manifest();
        Manifest m = Manifest.builder().tool(base.tool()).createdAt(base.createdAt()).archiveId(base.archiveId()).source(base.source())
                .selection(base.selection()).encryption(base.encryption())
                .graph(new Manifest.GraphInfo(List.of(), List.of(List.of("cluster.x-k8s.io/Cluster/metal3/prod-a"), ids), List.of(), List.of())).build();
        Manifest written = ArchiveWriter.write(file, m, sources, Optional.empty()).manifest();
        long content = ManifestCodec.write(written).length;
        for (Manifest.Entry e : written.entries()) {
            content += e.size();
        }
        return content;
    }
}

package io.pivotctl.archive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A small, valid archive written by our writer: a Cluster, a BMH owning HardwareData, an opaque Secret entry, leases. */
final class TestArchives {

    static final String ARCHIVE_ID = "0b5c3e0e-8a77-4b4e-9d0a-1c2d3e4f5a6b";
    static final byte[] FAKE_CIPHERTEXT = "age-encryption.org/v1\n-> X25519 opaque-for-format-tests\n---\n".getBytes(StandardCharsets.UTF_8);
    static final byte[] LEASES = "0 00:5c:52:31:3a:9c 172.22.0.10 node-0 *\n".getBytes(StandardCharsets.UTF_8);

    private TestArchives() {
    }

    static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) Json.YAML.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<ObjectNode> objects() {
        return List.of(
                yaml("""
                        apiVersion: cluster.x-k8s.io/v1beta2
                        kind: Cluster
                        metadata: {name: prod-a, namespace: metal3, uid: u-cluster}
                        spec: {paused: false}
                        """),
                yaml("""
                        apiVersion: metal3.io/v1alpha1
                        kind: BareMetalHost
                        metadata: {name: node-0, namespace: metal3, uid: u-bmh}
                        spec: {bootMACAddress: "00:5c:52:31:3a:9c", online: true}
                        status: {provisioning: {state: provisioned, ID: abc}}
                        """),
                yaml("""
                        apiVersion: metal3.io/v1alpha1
                        kind: HardwareData
                        metadata:
                          name: node-0
                          namespace: metal3
                          uid: u-hwd
                          ownerReferences: [{apiVersion: metal3.io/v1alpha1, kind: BareMetalHost, name: node-0, uid: u-bmh, controller: true}]
                        spec: {hardware: {ramMebibytes: 1024}}
                        """));
    }

    static List<ArchiveWriter.Source> sources() {
        List<ArchiveWriter.Source> sources = new ArrayList<>();
        Map<String, String> plurals = Map.of("Cluster", "clusters", "BareMetalHost", "baremetalhosts", "HardwareData", "hardwaredata");
        for (ObjectNode o : objects()) {
            String apiVersion = o.get("apiVersion").asText();
            String group = apiVersion.substring(0, apiVersion.indexOf('/'));
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            String kind = o.get("kind").asText();
            String ns = o.at("/metadata/namespace").asText();
            String name = o.at("/metadata/name").asText();
            Manifest.Entry e = Manifest.Entry.object(new Manifest.Entry.ResourceKind(group, version, kind, plurals.get(kind)), ns, name, o.has("status"));
            sources.add(new ArchiveWriter.Source(e, () -> Json.YAML.writeValueAsBytes(Json.canonical(o))));
        }
        sources.add(new ArchiveWriter.Source(Manifest.Entry.secret("metal3", "node-0-bmc"), () -> FAKE_CIPHERTEXT));
        sources.add(new ArchiveWriter.Source(Manifest.Entry.leases(), () -> LEASES));
        return sources;
    }

    static Manifest manifest() {
        List<List<String>> levels = List.of(
                List.of("cluster.x-k8s.io/Cluster/metal3/prod-a", "metal3.io/BareMetalHost/metal3/node-0"),
                List.of("core/Secret/metal3/node-0-bmc", "metal3.io/HardwareData/metal3/node-0"));
        return Manifest.builder().tool(new Manifest.Tool("pivotctl", "test")).createdAt("2026-11-24T10:00:00Z").archiveId(ARCHIVE_ID)
                .source(new Manifest.Source("https://127.0.0.1:6443", "kube-system-uid", "v1.20.2"))
                .selection(new Manifest.Selection(List.of("metal3"), false, List.of("metal3/prod-a")))
                .encryption(new Manifest.Encryption(Manifest.Encryption.AGE_V1,
                        List.of(new Manifest.Recipient("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj", "ops")), false))
                .secrets(List.of(new Manifest.SecretInfo("metal3", "node-0-bmc", "Opaque", Map.of("environment.metal3.io", "baremetal"), Map.of(),
                        List.of(new Manifest.OwnerRef("metal3.io/v1alpha1", "BareMetalHost", "node-0", "u-bmh", false)),
                        List.of("password", "username"), EntryPaths.secret("metal3", "node-0-bmc"))))
                .graph(new Manifest.GraphInfo(List.of(
                        new Manifest.GraphEdge("metal3.io/HardwareData/metal3/node-0", "metal3.io/BareMetalHost/metal3/node-0", "owner", "metadata.ownerReferences", true),
                        new Manifest.GraphEdge("core/Secret/metal3/node-0-bmc", "metal3.io/BareMetalHost/metal3/node-0", "owner", "metadata.ownerReferences", false)),
                        levels, List.of(), List.of()))
                .leases(new Manifest.LeasesInfo(EntryPaths.LEASES, 1, Digests.sha256(LEASES), "file:dnsmasq.leases"))
                .listResourceVersions(Map.of("baremetalhosts.metal3.io", "123")).build();
    }

    static Manifest write(Path target) {
        return ArchiveWriter.write(target, manifest(), sources(), Optional.empty()).manifest();
    }

    /** The archive of {@link #write} read back whole: its manifest bytes and entries, to build variants of it. */
    static ArchiveContents contents(Path dir) {
        Path file = dir.resolve("good-" + java.util.UUID.randomUUID() + ".tar");
        write(file);
        return ArchiveReader.read(file, ArchiveLimits.DEFAULT);
    }

    /**
     * The summary.json a consistent writer would put before {@code manifestBytes} (a test that changes a manifest to
     * test another check keeps the summary in step, as a careful forger would); {@code old} gives the host states and
     * the signature scheme, which the manifest does not say.
     */
    static byte[] summaryFor(byte[] manifestBytes, byte[] old) {
        Manifest m = ManifestCodec.parse(manifestBytes);
        Summary before = SummaryCodec.parse(old, HeldBudget.unbounded("test"));
        Summary s = Summary.describe(Summary.Header.of(m), Summary.Tally.of(m).contents(false).withHostsPerState(before.contents().hostsPerState()),
                new Summary.ManifestDigest(manifestBytes.length, Digests.sha256(manifestBytes)), before.signature());
        return SummaryCodec.write(s);
    }

    /** {@code c} with {@code manifestBytes} as its manifest and the summary in step with it. */
    static ArchiveContents withManifest(ArchiveContents c, byte[] manifestBytes) {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>(c.entries());
        entries.put(EntryPaths.SUMMARY, summaryFor(manifestBytes, c.entries().get(EntryPaths.SUMMARY)));
        return new ArchiveContents(manifestBytes, c.signature(), entries, c.order(), c.problems());
    }

    /**
     * {@code c} written again as a plain tar in archive order (summary, manifest, signature, the rest), with the entries
     * in {@code replaced} swapped in (a null value drops the entry): an archive changed after it was written.
     */
    static Path rewrite(Path file, ArchiveContents c, Map<String, byte[]> replaced) {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        c.entry(EntryPaths.SUMMARY).ifPresent(b -> out.put(EntryPaths.SUMMARY, b));
        out.put(EntryPaths.MANIFEST, c.manifestBytes());
        c.signature().ifPresent(b -> out.put(EntryPaths.SIGNATURE, b));
        c.order().forEach(name -> out.putIfAbsent(name, c.entries().get(name)));
        out.putAll(replaced);
        try (java.io.OutputStream os = java.nio.file.Files.newOutputStream(file);
                org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(os)) {
            tar.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : out.entrySet()) {
                if (e.getValue() == null) {
                    continue;
                }
                org.apache.commons.compress.archivers.tar.TarArchiveEntry t = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(e.getKey());
                t.setSize(e.getValue().length);
                tar.putArchiveEntry(t);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    /** Lease and closure checks that accept everything: the archive-format tests are about the container. */
    static ArchiveChecks lenientChecks() {
        return ArchiveChecks.offline(bytes -> new ArchiveChecks.LeaseSummary(
                (int) new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count(), List.of()),
                (ids, uids, objects) -> List.of());
    }
}

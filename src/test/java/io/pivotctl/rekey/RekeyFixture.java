package io.pivotctl.rekey;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.archive.ArchiveWriter;
import io.pivotctl.archive.Digests;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.ManifestSigner;
import io.pivotctl.crypto.SealingKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small archive shaped like a real one, sealed with pivotctl's own keys: a BareMetalHost with status (hex WWN,
 * all-digit MAC), its BMC Secret, a kubeadm Secret reached through {@code contentFrom} whose values look like numbers,
 * booleans and dates, a ConfigMap and a lease file. Secret values are known so tests can look for them anywhere.
 */
public final class RekeyFixture {

    /** Values that must never appear in clear anywhere a rekey writes or prints. */
    public static final List<String> SECRET_VALUES = List.of("bmc-password-9f3a61", "012", "kubeadm-join-token-4c7d");

    private RekeyFixture() {
    }

    /** A fresh age identity written 0600 to {@code dir/name}. */
    public static AgeIdentity identity(Path dir, String name) throws IOException {
        AgeIdentity id = AgeIdentity.generate();
        Path f = dir.resolve(name);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, id.toIdentityFile(Instant.now()));
        return id;
    }

    private static ObjectNode yaml(String text) {
        return io.pivotctl.testing.HandMadeArchive.yaml(text);
    }

    static List<ObjectNode> objects() {
        return List.of(yaml("""
                apiVersion: metal3.io/v1alpha1
                kind: BareMetalHost
                metadata: {name: node-0, namespace: metal3, uid: 7d0c1a52-0000-4000-8000-000000000001}
                spec: {online: true, bootMACAddress: "00:25:90:12:34:56", bmc: {address: "ipmi://192.168.111.1:6230", credentialsName: node-0-bmc-secret}}
                status: {provisioning: {state: provisioned, ID: "5e1b5e4a-1b0c-4b38-9b7a-0d1e2f3a4b5c"},
                  hardware: {storage: [{name: /dev/sda, wwn: "0x50014ee2b4e2f1a5", hctl: "0:0:0:0"}]}}
                """), yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: node-0-settings, namespace: metal3, uid: 7d0c1a52-0000-4000-8000-000000000002}
                data: {firmware: "1.10", enabled: "on"}
                """));
    }

    static List<ObjectNode> secrets() {
        return List.of(yaml("""
                apiVersion: v1
                kind: Secret
                metadata: {name: node-0-bmc-secret, namespace: metal3, uid: 7d0c1a52-0000-4000-8000-000000000003, labels: {environment.metal3.io: baremetal}}
                type: Opaque
                stringData: {username: admin, password: bmc-password-9f3a61}
                """), yaml("""
                apiVersion: v1
                kind: Secret
                metadata: {name: prod-a-kubeadm-files, namespace: metal3, uid: 7d0c1a52-0000-4000-8000-000000000004}
                type: Opaque
                stringData: {pin: "012", token: kubeadm-join-token-4c7d, enabled: "true", rotated: "2026-01-01"}
                """));
    }

    static final byte[] LEASES = "1764000000 00:25:90:12:34:56 172.22.0.10 node-0 *\n".getBytes(StandardCharsets.UTF_8);

    /** Writes the archive to {@code file}, Secrets sealed with {@code keys}, signed with {@code signKey} when present. */
    public static Manifest write(Path file, SealingKeys keys, Optional<PrivateKey> signKey) {
        List<ArchiveWriter.Source> sources = new ArrayList<>();
        List<String> level0 = new ArrayList<>();
        List<String> level1 = new ArrayList<>();
        for (ObjectNode o : objects()) {
            String kind = o.path("kind").asText();
            boolean host = kind.equals("BareMetalHost");
            Manifest.Entry e = Manifest.Entry.object(host ? new Manifest.Entry.ResourceKind("metal3.io", "v1alpha1", kind, "baremetalhosts")
                    : new Manifest.Entry.ResourceKind("", "v1", kind, "configmaps"), "metal3", o.at("/metadata/name").asText(), host);
            byte[] bytes = bytes(o);
            sources.add(new ArchiveWriter.Source(e, () -> bytes));
            (host ? level1 : level0).add(EntryPaths.id(EntryPaths.idOf(e)));
        }
        List<Manifest.SecretInfo> infos = new ArrayList<>();
        for (ObjectNode s : secrets()) {
            String name = s.at("/metadata/name").asText();
            Manifest.Entry e = Manifest.Entry.secret("metal3", name);
            byte[] sealed = keys.sealer().seal(bytes(s));
            sources.add(new ArchiveWriter.Source(e, () -> sealed));
            level0.add(EntryPaths.id(EntryPaths.idOf(e)));
            List<String> dataKeys = new ArrayList<>();
            s.path("stringData").fieldNames().forEachRemaining(dataKeys::add);
            infos.add(new Manifest.SecretInfo("metal3", name, "Opaque", Map.of(), Map.of(), List.of(), dataKeys, e.path()));
        }
        sources.add(new ArchiveWriter.Source(Manifest.Entry.leases(), () -> LEASES));
        keys.sealedArchiveIdentity().ifPresent(b -> sources.add(new ArchiveWriter.Source(Manifest.Entry.archiveIdentity(), () -> b)));
        List<Manifest.Recipient> recipients = keys.recipients().stream().map(r -> new Manifest.Recipient(r.publicKey(), r.label())).toList();
        Manifest m = Manifest.builder().tool(new Manifest.Tool("pivotctl", "0.3.0")).createdAt("2026-11-25T10:00:00Z")
                .archiveId(java.util.UUID.randomUUID().toString()).source(new Manifest.Source("https://192.168.111.5:6443", "source-uid", "v1.20.2"))
                .selection(new Manifest.Selection(List.of("metal3"), false, List.of()))
                .encryption(new Manifest.Encryption(Manifest.Encryption.AGE_V1, recipients, keys.passphrase()))
                .secrets(infos).leases(new Manifest.LeasesInfo(EntryPaths.LEASES, 1, Digests.sha256(LEASES), "file"))
                .graph(new Manifest.GraphInfo(List.of(new Manifest.GraphEdge("metal3.io/BareMetalHost/metal3/node-0", "core/Secret/metal3/node-0-bmc-secret",
                        "ref", "spec.bmc.credentialsName", false)), List.of(level0, level1), List.of(), List.of())).build();
        Optional<ArchiveWriter.Signer> signer = signKey.map(k -> ArchiveWriter.Signer.of(ManifestSigner.SHA256_SCHEME, sha -> ManifestSigner.signatureFile(sha, k)));
        return ArchiveWriter.write(file, m, sources, signer).manifest();
    }

    private static byte[] bytes(ObjectNode o) {
        try {
            return Json.YAML.writeValueAsBytes(Json.canonical(o));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

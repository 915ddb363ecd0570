package io.pivotctl.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.ValidationReport;
import io.pivotctl.validate.LoadedArchive;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@link ArchiveDiff} finds between two archives held in memory, and that it never holds a Secret value. */
class ArchiveDiffTest {

    static ObjectNode yaml(String text) throws Exception {
        return (ObjectNode) Json.YAML.readTree(text);
    }

    static ObjectNode host(String state, String ironicId, String online) throws Exception {
        return yaml("""
                apiVersion: metal3.io/v1alpha1
                kind: BareMetalHost
                metadata: {name: node-0, namespace: metal3, uid: u1, resourceVersion: "%s"}
                spec: {online: %s, bootMACAddress: "00:5c:52:00:00:01"}
                status: {provisioning: {state: %s, ID: %s}, poweredOn: true}
                """.formatted(state.length(), online, state, ironicId));
    }

    static ObjectNode secret(String password, String label) throws Exception {
        return yaml("""
                apiVersion: v1
                kind: Secret
                metadata: {name: node-0-bmc-secret, namespace: metal3, labels: {team: %s}}
                type: Opaque
                data: {username: cm9vdA==, password: %s}
                """.formatted(label, password));
    }

    /**
     * An archive of {@code objects}; Secrets described in the manifest with ciphertext digest {@code cipher}, and held
     * (decrypted) only when {@code decrypted}.
     */
    static LoadedArchive archive(List<ObjectNode> objects, boolean decrypted, String cipher, String leases) {
        List<Manifest.Entry> entries = new ArrayList<>();
        List<Manifest.SecretInfo> secrets = new ArrayList<>();
        List<ArchivedObject> held = new ArrayList<>();
        for (ObjectNode o : objects) {
            var id = io.pivotctl.graph.ObjectId.of(o);
            String version = o.path("apiVersion").asText().replaceAll(".*/", "");
            Manifest.Entry e = Manifest.Entry.object(new Manifest.Entry.ResourceKind(id.group(), version, id.kind(), id.kind().toLowerCase() + "s"),
                    id.namespace(), id.name(), o.has("status"));
            if (id.isSecret()) {
                String path = EntryPaths.secret(id.namespace(), id.name());
                e = new Manifest.Entry(path, Manifest.Entry.SECRET, "", "v1", "Secret", "secrets", id.namespace(), id.name(), 10, cipher, true, false);
                Map<String, String> labels = new HashMap<>();
                o.path("metadata").path("labels").fields().forEachRemaining(l -> labels.put(l.getKey(), l.getValue().asText()));
                secrets.add(new Manifest.SecretInfo(id.namespace(), id.name(), "Opaque", labels, Map.of(), List.of(), List.of("password", "username"), path));
                if (!decrypted) {
                    entries.add(e);
                    continue;
                }
            }
            entries.add(e);
            held.add(new ArchivedObject(e, o));
        }
        Manifest m = Manifest.builder().tool(new Manifest.Tool("pivotctl", "test")).createdAt("2026-12-01T00:00:00Z").archiveId("id")
                .source(new Manifest.Source("https://127.0.0.1:6443", "c", "v1.20.2")).selection(new Manifest.Selection(List.of("metal3"), false, List.of()))
                .encryption(new Manifest.Encryption(Manifest.Encryption.AGE_V1, List.of(), false)).entries(entries).secrets(secrets)
                .graph(new Manifest.GraphInfo(List.of(), List.of(), List.of(), List.of())).build();
        Map<String, byte[]> other = leases == null ? Map.of() : Map.of(EntryPaths.LEASES, leases.getBytes(StandardCharsets.UTF_8));
        return new LoadedArchive(m, held, other, false, new ValidationReport(List.of(), List.of(), Optional.of(m), 0), decrypted, 0, null);
    }

    @Test
    void aHostThatChangedStateAndIronicIdIsNamedWithTheChangedPaths() throws Exception {
        DiffReport r = ArchiveDiff.of("a", archive(List.of(host("available", "ironic-1", "true")), true, "c1", null),
                "b", archive(List.of(host("provisioning", "ironic-2", "true")), true, "c2", null));
        assertEquals(List.of(new ObjectChange("BareMetalHost.metal3.io metal3/node-0", Change.CHANGED,
                List.of("status.provisioning.ID", "status.provisioning.state"))), r.objects(), "resourceVersion is bookkeeping, not a change");
        assertEquals(List.of(new HostChange("metal3/node-0", "provisioning state", "available", "provisioning"),
                new HostChange("metal3/node-0", "Ironic ID", "ironic-1", "ironic-2")), r.hosts());
        assertFalse(r.equal());
    }

    @Test
    void theSameContentIsEqualWhateverTheBookkeeping() throws Exception {
        ObjectNode a = host("available", "ironic-1", "true");
        ObjectNode b = a.deepCopy();
        b.with("metadata").put("resourceVersion", "999").put("uid", "other").putArray("managedFields");
        DiffReport r = ArchiveDiff.of("a", archive(List.of(a), true, "c1", "1 00:5c:52:00:00:01 172.22.0.10 node-0 *\n"),
                "b", archive(List.of(b), true, "c2", "2 00:5c:52:00:00:01 172.22.0.10 node-0 *\n"));
        assertTrue(r.equal(), "an expiry that moved on is no change: " + r);
    }

    @Test
    void aChangedSecretValueIsNamedByPathAndNeverHeld() throws Exception {
        String before = "b2xkLXBhc3N3b3JkLXZhbHVl";
        String after = "bmV3LXBhc3N3b3JkLXZhbHVl";
        DiffReport r = ArchiveDiff.of("a", archive(List.of(secret(before, "ops")), true, "c1", null),
                "b", archive(List.of(secret(after, "ops")), true, "c2", null));
        assertTrue(r.secretsByContent());
        assertEquals(List.of(new ObjectChange("Secret metal3/node-0-bmc-secret", Change.CHANGED, List.of("data.password"))), r.objects());
        String all = r.toString() + Json.toJson(r);
        assertFalse(all.contains(before) || all.contains(after) || all.contains("old-password-value") || all.contains("new-password-value"), all);
    }

    @Test
    void withoutTheKeyADifferentCiphertextIsUndecidedUnlessTheDescriptionChanged() throws Exception {
        DiffReport same = ArchiveDiff.of("a", archive(List.of(secret("YQ==", "ops")), false, "c1", null),
                "b", archive(List.of(secret("Yg==", "ops")), false, "c2", null));
        assertTrue(same.equal(), same.toString());
        assertEquals(1, same.secretsUndecided());
        assertFalse(same.secretsByContent());
        DiffReport identical = ArchiveDiff.of("a", archive(List.of(secret("YQ==", "ops")), false, "c1", null),
                "b", archive(List.of(secret("YQ==", "ops")), false, "c1", null));
        assertEquals(0, identical.secretsUndecided(), "the same ciphertext is the same Secret");
        DiffReport relabelled = ArchiveDiff.of("a", archive(List.of(secret("YQ==", "ops")), false, "c1", null),
                "b", archive(List.of(secret("YQ==", "dev")), false, "c2", null));
        assertEquals(List.of(new ObjectChange("Secret metal3/node-0-bmc-secret", Change.CHANGED, List.of("metadata.labels.team"))), relabelled.objects());
        DiffReport deleted = ArchiveDiff.of("a", archive(List.of(secret("YQ==", "ops")), false, "c1", null), "b", archive(List.of(), false, "c1", null));
        assertEquals(List.of(new ObjectChange("Secret metal3/node-0-bmc-secret", Change.REMOVED, List.of())), deleted.objects());
    }

    @Test
    void leasesAddedRemovedAndMovedByMac() throws Exception {
        DiffReport r = ArchiveDiff.of("a", archive(List.of(), true, "c", "1 00:5c:52:00:00:01 172.22.0.10 node-0 *\n1 00:5c:52:00:00:02 172.22.0.11 node-1 *\n"),
                "b", archive(List.of(), true, "c", "2 00:5c:52:00:00:01 172.22.0.20 node-0 *\n2 00:5c:52:00:00:03 172.22.0.12 node-2 *\n"));
        assertEquals(List.of(new LeaseChange("00:5c:52:00:00:01", Change.CHANGED, "172.22.0.10 node-0", "172.22.0.20 node-0"),
                new LeaseChange("00:5c:52:00:00:02", Change.REMOVED, "172.22.0.11 node-1", null),
                new LeaseChange("00:5c:52:00:00:03", Change.ADDED, null, "172.22.0.12 node-2")), r.leases());
    }

    @Test
    void numbersCompareByValueAndArraysByItem() throws Exception {
        assertEquals(List.of(), FieldPaths.changed(yaml("{a: 1, b: [x, y]}"), yaml("{a: 1.0, b: [x, y]}"), ""));
        assertEquals(List.of("b[1]", "c"), FieldPaths.changed(yaml("{a: 1, b: [x, y], c: 1}"), yaml("{a: 1, b: [x, z]}"), ""));
        assertEquals(List.of(), FieldPaths.changed(yaml("{c: null}"), yaml("{}"), ""), "null and absent read the same");
        assertEquals(List.of("b"), FieldPaths.changed(yaml("{b: [x, y]}"), yaml("{b: [x]}"), ""));
    }
}

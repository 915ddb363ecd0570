package io.pivotctl.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.SecretOpener;
import io.pivotctl.crypto.SecretSealer;
import io.pivotctl.graph.EdgeType;
import io.pivotctl.kube.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** One listed object packed as export keeps it: its entry bytes exactly, Secrets only as ciphertext, read back once. */
class ObjectPackerTest {

    static final ResourceType BMH = new ResourceType("metal3.io", "v1alpha1", "BareMetalHost", "baremetalhosts", true, true);
    final AgeIdentity check = AgeIdentity.generate();
    final SecretSealer sealer = new SecretSealer(List.of(check.recipient()));

    ObjectPacker packer(Function<JsonNode, byte[]> serializer) {
        return new ObjectPacker(sealer::seal, serializer, new ExportSelfCheck(SecretOpener.fromIdentities(List.of(check))));
    }

    static ObjectNode host() throws Exception {
        return (ObjectNode) Json.MAPPER.readTree("""
                {"apiVersion":"metal3.io/v1alpha1","kind":"BareMetalHost","metadata":{"name":"node-0","namespace":"metal3","uid":"u-1",
                 "resourceVersion":"42","labels":{"clusterctl.cluster.x-k8s.io/move":"","other":"x"},
                 "annotations":{"baremetalhost.metal3.io/paused":"pivotctl","note":"n"},"managedFields":[{"manager":"m"}]},
                 "spec":{"bootMACAddress":"00:11:22:33:44:55","bmc":{"credentialsName":"node-0-bmc"}},
                 "status":{"hardware":{"storage":[{"wwn":"0x50014ee2b4e2f1a5"}]}}}""");
    }

    @Test
    void anObjectKeepsItsExactEntryBytesDeflatedAndTheFactsSelectionNeeds() throws Exception {
        ObjectNode o = host();
        PackedObject p = packer(ObjectCleaner::yaml).pack(o, BMH);
        byte[] expected = ObjectCleaner.yaml(o); // o is now cleaned: managedFields gone
        assertFalse(o.path("metadata").has("managedFields"));
        assertArrayEquals(expected, ObjectPacker.entryBytes(p), "the entry is the object's YAML, byte for byte");
        assertTrue(p.packed().heldBytes() < expected.length, "kept deflated");
        assertEquals(List.of(), p.readBack());
        assertTrue(p.hasStatus());
        assertEquals("00:11:22:33:44:55", p.bootMac());
        assertEquals("42", p.resourceVersion());
        assertEquals(java.util.Map.of("clusterctl.cluster.x-k8s.io/move", ""), p.labels(), "only the labels selection reads");
        assertEquals(java.util.Map.of("baremetalhost.metal3.io/paused", "pivotctl"), p.annotations(), "only the pause annotations");
        assertNull(p.secretInfo());
        assertTrue(p.linked().links().stream().anyMatch(e -> e.type() == EdgeType.REF && e.to().name().equals("node-0-bmc")),
                p.linked().links().toString());
        assertEquals("objects/metal3.io/v1alpha1/BareMetalHost/metal3/node-0.yaml", p.entryPath());
    }

    @Test
    void aSecretIsKeptOnlyAsCiphertextThatDecryptsToItsYaml() throws Exception {
        ObjectNode s = (ObjectNode) Json.MAPPER.readTree("""
                {"apiVersion":"v1","kind":"Secret","type":"Opaque","metadata":{"name":"node-0-bmc","namespace":"metal3","uid":"u-2"},
                 "data":{"password":"c3VwZXJzZWNyZXQtdmFsdWU="}}""");
        PackedObject p = packer(ObjectCleaner::yaml).pack(s, ResourceType.SECRET);
        String kept = new String(p.packed().bytes(), StandardCharsets.ISO_8859_1);
        assertFalse(kept.contains("c3VwZXJzZWNyZXQtdmFsdWU="), "no clear value is held");
        assertTrue(kept.startsWith("age-encryption.org/v1"), "age ciphertext");
        assertArrayEquals(ObjectCleaner.yaml(s), SecretOpener.fromIdentities(List.of(check)).open("s", ObjectPacker.entryBytes(p)));
        assertEquals(List.of("password"), p.secretInfo().dataKeys());
        assertEquals(List.of(), p.readBack());
    }

    @Test
    void anEntryThatDoesNotReadBackIsRecordedAndFailsTheCheckNamingTheField() throws Exception {
        Function<JsonNode, byte[]> lossy = ExportSelfCheckIT.plainScalarWriter(); // writes a hex string as a bare scalar
        PackedObject p = packer(lossy).pack(host(), BMH);
        assertFalse(p.readBack().isEmpty(), "a hex string written as a plain scalar reads back as a number");
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.pivotctl.PivotctlException.class, () -> ExportSelfCheck.check(List.of(p)));
        assertTrue(e.getMessage().contains("metal3/node-0") && e.getMessage().contains("status.hardware.storage[0].wwn"), e.getMessage());
        assertFalse(e.getMessage().contains("0x50014ee2b4e2f1a5"), "fields, never values");
    }
}

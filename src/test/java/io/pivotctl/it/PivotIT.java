package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.Metal3Fleet;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pivot with two real apiservers and the upstream CRDs: export from the source, validate,
 * import leases then objects into an empty target, verify, then detect deliberate damage.
 */
class PivotIT {

    /** The import tests each start from a target without archived objects or journals: any order works. */
    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withCrds(CrdSet.upstream())
            .withFleet(Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("prod-a", 3, 2), new Metal3Fleet.ClusterSpec("edge-b", 1, 1)), 2))
            .withTargetResetBeforeEach();

    @TempDir
    static Path dir;

    static List<ObjectNode> inventory;
    static Path identity;
    static Path archive;
    static Path leases;
    static final String[] KINDS = {"Cluster", "Machine", "BareMetalHost", "HardwareData", "Metal3Machine", "Metal3Data", "IPAddress", "KubeadmConfig"};

    @BeforeAll
    static void setUp() throws Exception {
        inventory = servers.fleet();
        identity = servers.key().identity();
        leases = dir.resolve("dnsmasq.leases");
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (ObjectNode o : inventory) {
            if ("BareMetalHost".equals(o.path("kind").asText())) {
                b.append("1790000000 ").append(o.at("/spec/bootMACAddress").asText()).append(" 172.22.0.").append(100 + i++).append(" ")
                        .append(o.at("/metadata/name").asText()).append(" *\n");
            }
        }
        b.append("1790000000 00:5c:52:ff:ff:ff 172.22.0.250 gone-host *\n");
        Files.writeString(leases, b.toString());
        archive = dir.resolve("pivot.tar.gz");
        Cli.Result r = Cli.run("export", "--kubeconfig", servers.source().kubeconfig().toString(), "-n", "metal3", "-o", archive.toString(),
                "--recipient", servers.key().recipient(), "--leases-file", leases.toString(), "--pause"); // the pivot runbook: the source stops acting
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("host") || r.out().contains("Warnings: 1"), "the stale lease is reported: " + r);
    }

    @Test
    void archiveIsValidAndHoldsNoSecretValueInClear() throws Exception {
        // reads only the archive
        Cli.Result v = Cli.run("validate", archive.toString(), "--identity", identity.toString());
        assertEquals(0, v.exitCode(), v.toString());
        assertTrue(v.out().contains("valid"), v.out());
        byte[] raw = Files.readAllBytes(archive);
        byte[] tar;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive)); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            tar = out.toByteArray();
        }
        String rawText = new String(raw, StandardCharsets.ISO_8859_1);
        String tarText = new String(tar, StandardCharsets.ISO_8859_1);
        // the distinctive values; "root" or "cloud-config" also appear in clear objects legitimately
        List<String> secrets = Metal3Fleet.secretValues(inventory).stream().filter(value -> value.contains("fleet-secret")).toList();
        assertEquals(40, secrets.size(), "9 BMC + 7x3 machine + 2x5 cluster secrets");
        for (String s : secrets) {
            String b64 = java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
            assertFalse(tarText.contains(s) || tarText.contains(b64) || rawText.contains(s), "secret value in clear in the archive: " + s);
        }
        assertTrue(tarText.contains("provisioned"), "BMH status is archived in clear");
    }

    @Test
    void importRestoresEverythingWithStatusOwnersAndSecrets() {
        KubernetesClient src = servers.source().client();
        KubernetesClient tgt = servers.target().client();
        Cli.Result l = Cli.run("import", archive.toString(), "--kubeconfig", servers.target().kubeconfig().toString(), "--only", "leases");
        assertEquals(0, l.exitCode(), l.toString());
        ConfigMap cm = tgt.configMaps().inNamespace("metal3").withName("dnsmasq-leases-configmap").get();
        assertNotNull(cm);
        assertEquals(0, tgt.genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace("metal3").list().getItems().size(),
                "--only leases writes nothing else");
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", servers.target().kubeconfig().toString(), "--identity", identity.toString(),
                "--only", "objects");
        assertEquals(0, r.exitCode(), r.toString());

        for (String kind : KINDS) {
            String api = apiOf(kind);
            assertEquals(src.genericKubernetesResources(api, kind).inNamespace("metal3").list().getItems().size(),
                    tgt.genericKubernetesResources(api, kind).inNamespace("metal3").list().getItems().size(), kind + " count");
        }
        for (GenericKubernetesResource s : src.genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace("metal3").list().getItems()) {
            GenericKubernetesResource t = tgt.genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace("metal3")
                    .withName(s.getMetadata().getName()).get();
            Map<?, ?> ss = (Map<?, ?>) s.getAdditionalProperties().get("status");
            Map<?, ?> ts = (Map<?, ?>) t.getAdditionalProperties().get("status");
            assertEquals(((Map<?, ?>) ss.get("provisioning")).get("state"), ((Map<?, ?>) ts.get("provisioning")).get("state"));
            assertEquals(((Map<?, ?>) ss.get("provisioning")).get("ID"), ((Map<?, ?>) ts.get("provisioning")).get("ID"));
            assertEquals(ss.get("hardware"), ts.get("hardware"));
            assertEquals(ss.get("poweredOn"), ts.get("poweredOn"));
            assertEquals(ss.get("operationalStatus"), ts.get("operationalStatus"));
            assertEquals(s.getAdditionalProperties().get("spec"), t.getAdditionalProperties().get("spec"));
            assertFalse(t.getMetadata().getAnnotations() != null && t.getMetadata().getAnnotations().containsKey("baremetalhost.metal3.io/paused"),
                    "hosts are unpaused at the end");
            assertNotEquals(s.getMetadata().getUid(), t.getMetadata().getUid());
        }
        // every ownerReference on the target points at the live owner's new UID
        Map<String, String> targetUids = new HashMap<>();
        for (String kind : List.of("Cluster", "KubeadmControlPlane", "MachineDeployment", "MachineSet", "Machine", "KubeadmConfig", "Metal3Machine",
                "Metal3DataClaim", "Metal3Data", "IPPool", "IPClaim", "BareMetalHost")) {
            tgt.genericKubernetesResources(apiOf(kind), kind).inNamespace("metal3").list().getItems()
                    .forEach(o -> targetUids.put(kind + "/" + o.getMetadata().getName(), o.getMetadata().getUid()));
        }
        int checked = 0;
        for (String kind : KINDS) {
            for (GenericKubernetesResource o : tgt.genericKubernetesResources(apiOf(kind), kind).inNamespace("metal3").list().getItems()) {
                for (OwnerReference ref : o.getMetadata().getOwnerReferences()) {
                    assertEquals(targetUids.get(ref.getKind() + "/" + ref.getName()), ref.getUid(), kind + " " + o.getMetadata().getName());
                    checked++;
                }
                assertEquals(readArchiveId(), o.getMetadata().getAnnotations().get("pivotctl.io/restored-from"));
            }
        }
        assertTrue(checked > 40, "owner references checked: " + checked);
        for (Secret s : src.secrets().inNamespace("metal3").list().getItems()) {
            if (s.getType().startsWith("kubernetes.io/service-account")) {
                continue;
            }
            Secret t = tgt.secrets().inNamespace("metal3").withName(s.getMetadata().getName()).get();
            assertNotNull(t, "secret " + s.getMetadata().getName());
            assertEquals(s.getData(), t.getData(), "secret data " + s.getMetadata().getName());
        }
        GenericKubernetesResource cluster = tgt.genericKubernetesResources(apiOf("Cluster"), "Cluster").inNamespace("metal3").withName("prod-a").get();
        assertEquals(Boolean.FALSE, ((Map<?, ?>) cluster.getAdditionalProperties().get("spec")).get("paused"),
                "paused by export only for the move: unpaused on the target");
        GenericKubernetesResource sourceCluster = src.genericKubernetesResources(apiOf("Cluster"), "Cluster").inNamespace("metal3").withName("prod-a").get();
        assertEquals(Boolean.TRUE, ((Map<?, ?>) sourceCluster.getAdditionalProperties().get("spec")).get("paused"), "the source stays paused");
        assertEquals(cm.getData().get("dnsmasq.leases"), readLeases());
    }

    @Test
    void verifyIsEqualThenFindsChangedStatusAndDeletedSecret() {
        String kc = servers.target().kubeconfig().toString();
        Cli.Result imported = Cli.run("import", archive.toString(), "--kubeconfig", kc, "--identity", identity.toString(), "-q");
        assertEquals(0, imported.exitCode(), imported.toString());
        Cli.Result ok = Cli.run("verify", archive.toString(), "--kubeconfig", kc, "--identity", identity.toString());
        assertEquals(0, ok.exitCode(), ok.toString());
        assertTrue(ok.out().contains("EQUAL"), ok.out());

        KubernetesClient tgt = servers.target().client();
        var hosts = tgt.genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace("metal3");
        GenericKubernetesResource h = hosts.withName("prod-a-node-1").get();
        @SuppressWarnings("unchecked")
        Map<String, Object> prov = (Map<String, Object>) ((Map<String, Object>) h.getAdditionalProperties().get("status")).get("provisioning");
        prov.put("state", "inspecting");
        hosts.resource(h).updateStatus();
        tgt.secrets().inNamespace("metal3").withName("prod-a-node-0-bmc-secret").delete();

        Cli.Result diff = Cli.run("verify", archive.toString(), "--kubeconfig", kc, "--identity", identity.toString(), "-o", "json");
        assertEquals(4, diff.exitCode(), diff.toString());
        assertTrue(diff.out().contains("\"object\" : \"BareMetalHost.metal3.io metal3/prod-a-node-1\""), diff.out());
        assertTrue(diff.out().contains("status.provisioning.state differs"), diff.out());
        assertTrue(diff.out().contains("Secret metal3/prod-a-node-0-bmc-secret") && diff.out().contains("MISSING"), diff.out());
        assertFalse(diff.out().contains("inspecting"), "verify reports paths, not values");
    }

    static String readArchiveId() {
        Cli.Result r = Cli.run("inspect", archive.toString(), "-o", "json");
        String out = r.out();
        int i = out.indexOf("\"archiveId\" : \"") + 15;
        return out.substring(i, out.indexOf('"', i));
    }

    static String readLeases() {
        try {
            return Files.readString(leases);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String apiOf(String kind) {
        return switch (kind) {
            case "Cluster", "Machine", "MachineSet", "MachineDeployment" -> "cluster.x-k8s.io/v1beta2";
            case "KubeadmControlPlane" -> "controlplane.cluster.x-k8s.io/v1beta2";
            case "KubeadmConfig" -> "bootstrap.cluster.x-k8s.io/v1beta2";
            case "BareMetalHost", "HardwareData" -> "metal3.io/v1alpha1";
            case "IPPool", "IPClaim", "IPAddress" -> "ipam.metal3.io/v1alpha1";
            default -> "infrastructure.cluster.x-k8s.io/v1beta2";
        };
    }
}

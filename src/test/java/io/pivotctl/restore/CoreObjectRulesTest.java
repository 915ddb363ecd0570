package io.pivotctl.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The local rules stand in for kube-apiserver's validation only where they are sure: what they accept the server
 * accepts; anything else is "not proven" and keeps its dry run. Shapes from real sites: a BMC credentials Secret, a
 * kubeadm bootstrap Secret with owners, CAPI's kubeconfig Secret (type cluster.x-k8s.io/secret), a CA as kubernetes.io/tls.
 */
class CoreObjectRulesTest {

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode secret(String name, String type) {
        ObjectNode s = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Secret");
        s.with("metadata").put("name", name).put("namespace", "metal3");
        if (type != null) {
            s.put("type", type);
        }
        return s;
    }

    @Test
    void secretsAndConfigMapsShapedLikeARealSiteAreProven() {
        ObjectNode bmc = secret("node-0-bmc-secret", "Opaque");
        bmc.with("data").put("username", b64("admin")).put("password", b64("0123"));
        bmc.with("metadata").with("labels").put("environment.metal3.io", "baremetal");
        assertEquals(Optional.empty(), CoreObjectRules.whyNotProven(bmc));

        ObjectNode kubeconfig = secret("prod-a-kubeconfig", "cluster.x-k8s.io/secret");
        kubeconfig.with("data").put("value", b64("apiVersion: v1\nkind: Config\n"));
        kubeconfig.with("metadata").with("labels").put("cluster.x-k8s.io/cluster-name", "prod-a");
        kubeconfig.with("metadata").withArray("ownerReferences").addObject().put("apiVersion", "controlplane.cluster.x-k8s.io/v1beta2")
                .put("kind", "KubeadmControlPlane").put("name", "prod-a").put("uid", "5f3c").put("controller", true);
        assertEquals(Optional.empty(), CoreObjectRules.whyNotProven(kubeconfig));

        ObjectNode ca = secret("prod-a-ca", "kubernetes.io/tls");
        ca.with("data").put("tls.crt", b64("-----BEGIN CERTIFICATE-----")).put("tls.key", b64("-----BEGIN RSA PRIVATE KEY-----"));
        assertEquals(Optional.empty(), CoreObjectRules.whyNotProven(ca));

        ObjectNode leases = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        leases.with("metadata").put("name", "dnsmasq-leases-configmap").put("namespace", "metal3");
        leases.with("data").put("dnsmasq.leases", "1767225600 00:00:00:00:00:01 172.22.0.10 node-0 *\n").put("00", "00");
        leases.with("binaryData").put("blob.bin", Base64.getEncoder().encodeToString(new byte[] {0, 1, 2}));
        assertEquals(Optional.empty(), CoreObjectRules.whyNotProven(leases));
    }

    @Test
    void whatTheServerWouldRefuseIsNeverProven() {
        ObjectNode badKey = secret("s1", null);
        badKey.with("data").put("bad key!", b64("x"));
        assertTrue(CoreObjectRules.whyNotProven(badKey).isPresent());

        ObjectNode dotDot = secret("s2", null);
        dotDot.with("data").put("..data", b64("x"));
        assertTrue(CoreObjectRules.whyNotProven(dotDot).isPresent());

        ObjectNode big = secret("s3", null);
        big.with("data").put("a", Base64.getEncoder().encodeToString(new byte[CoreObjectRules.MAX_DATA_BYTES / 2 + 1]))
                .put("b", Base64.getEncoder().encodeToString(new byte[CoreObjectRules.MAX_DATA_BYTES / 2]));
        assertEquals(Optional.of("data over 1 MiB"), CoreObjectRules.whyNotProven(big));
        ObjectNode exactlyAtTheLimit = secret("s3b", null);
        exactlyAtTheLimit.with("data").put("a", Base64.getEncoder().encodeToString(new byte[CoreObjectRules.MAX_DATA_BYTES]));
        assertEquals(Optional.empty(), CoreObjectRules.whyNotProven(exactlyAtTheLimit), "1 MiB itself is accepted, as by the server");

        ObjectNode upperName = secret("Node-0", null);
        assertTrue(CoreObjectRules.whyNotProven(upperName).isPresent());

        ObjectNode tlsWithoutKey = secret("s4", "kubernetes.io/tls");
        tlsWithoutKey.with("data").put("tls.crt", b64("x"));
        assertTrue(CoreObjectRules.whyNotProven(tlsWithoutKey).isPresent());

        ObjectNode dockerJson = secret("s5", "kubernetes.io/dockerconfigjson");
        dockerJson.with("data").put(".dockerconfigjson", b64("{not json"));
        assertTrue(CoreObjectRules.whyNotProven(dockerJson).isPresent());
        dockerJson.with("data").put(".dockerconfigjson", b64("{\"auths\":{}}"));
        assertEquals(Optional.empty(), CoreObjectRules.whyNotProven(dockerJson));

        ObjectNode badLabel = secret("s6", null);
        badLabel.with("metadata").with("labels").put("cluster.x-k8s.io/cluster-name", "a value with spaces");
        assertTrue(CoreObjectRules.whyNotProven(badLabel).isPresent());

        ObjectNode badFinalizer = secret("s7", null);
        badFinalizer.with("metadata").withArray("finalizers").add("unqualified");
        assertTrue(CoreObjectRules.whyNotProven(badFinalizer).isPresent());

        ObjectNode twoControllers = secret("s8", null);
        for (String owner : new String[] {"a", "b"}) {
            twoControllers.with("metadata").withArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "ConfigMap")
                    .put("name", owner).put("uid", owner).put("controller", true);
        }
        assertTrue(CoreObjectRules.whyNotProven(twoControllers).isPresent());

        ObjectNode duplicated = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        duplicated.with("metadata").put("name", "c1");
        duplicated.with("data").put("k", "v");
        duplicated.with("binaryData").put("k", b64("v"));
        assertTrue(CoreObjectRules.whyNotProven(duplicated).isPresent(), "a key in both data and binaryData");
    }

    @Test
    void whatOnlyTheServerCanJudgeKeepsItsDryRun() {
        ObjectNode token = secret("builder-token", "kubernetes.io/service-account-token");
        assertTrue(CoreObjectRules.whyNotProven(token).orElseThrow().contains("only the server checks"));

        ObjectNode stringData = secret("s10", null);
        stringData.with("stringData").put("k", "v");
        assertTrue(CoreObjectRules.whyNotProven(stringData).isPresent());

        ObjectNode generate = secret("s11", null);
        generate.with("metadata").put("generateName", "s11-");
        assertTrue(CoreObjectRules.whyNotProven(generate).isPresent());

        ObjectNode host = Json.MAPPER.createObjectNode().put("apiVersion", "metal3.io/v1alpha1").put("kind", "BareMetalHost");
        host.with("metadata").put("name", "node-0");
        assertEquals(Optional.of("not a core Secret or ConfigMap"), CoreObjectRules.whyNotProven(host));
    }

    @Test
    void admissionRulesThatCouldMatchACoreCreateAreFound() {
        ObjectNode webhooks = Json.MAPPER.createObjectNode();
        ObjectNode hook = webhooks.withArray("webhooks").addObject().put("name", "secrets.policy.example.com");
        hook.withArray("rules").addObject().set("apiGroups", Json.MAPPER.createArrayNode().add(""));
        ((ObjectNode) hook.path("rules").get(0)).set("apiVersions", Json.MAPPER.createArrayNode().add("v1"));
        ((ObjectNode) hook.path("rules").get(0)).set("operations", Json.MAPPER.createArrayNode().add("CREATE").add("UPDATE"));
        ((ObjectNode) hook.path("rules").get(0)).set("resources", Json.MAPPER.createArrayNode().add("secrets"));
        AdmissionFacts.Match m = AdmissionFacts.matches(webhooks).orElseThrow();
        assertEquals(java.util.Set.of("secrets"), m.plurals());
        assertTrue(m.where().contains("secrets.policy.example.com"));

        ((ObjectNode) hook.path("rules").get(0)).set("resources", Json.MAPPER.createArrayNode().add("secrets/status"));
        assertEquals(Optional.empty(), AdmissionFacts.matches(webhooks), "a subresource rule does not match the create");
        ((ObjectNode) hook.path("rules").get(0)).set("resources", Json.MAPPER.createArrayNode().add("*/*"));
        assertEquals(java.util.Set.of("configmaps", "secrets"), AdmissionFacts.matches(webhooks).orElseThrow().plurals());
        ((ObjectNode) hook.path("rules").get(0)).set("apiGroups", Json.MAPPER.createArrayNode().add("metal3.io"));
        assertEquals(Optional.empty(), AdmissionFacts.matches(webhooks), "BMO's webhook for its own group does not");

        ObjectNode quota = Json.MAPPER.createObjectNode();
        quota.with("spec").with("hard").put("count/secrets", "100").put("pods", "10");
        assertEquals(java.util.Set.of("secrets"), AdmissionFacts.countedByQuota(quota));
    }
}

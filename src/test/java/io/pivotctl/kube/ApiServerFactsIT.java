package io.pivotctl.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.CrdSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Executable facts about the API server that pivotctl's restore relies on, checked against the real
 * upstream BareMetalHost CRD: a create drops status, and status written through /status is kept whole.
 */
class ApiServerFactsIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.one()
            .withCrds(CrdSet.upstreamFiles("baremetal-operator/metal3.io_baremetalhosts.yaml")).withTargetNamespace("metal3");

    static final ResourceDefinitionContext BMH = new ResourceDefinitionContext.Builder()
            .withGroup("metal3.io").withVersion("v1alpha1").withKind("BareMetalHost").withPlural("baremetalhosts")
            .withNamespaced(true).build();

    @Test
    void statusIsDroppedOnCreateAndKeptWhenWrittenThroughStatusSubresource() throws Exception {
        KubernetesClient client = servers.source().client();
        GenericKubernetesResource host = Serialization.unmarshal("""
                apiVersion: metal3.io/v1alpha1
                kind: BareMetalHost
                metadata: {name: node-0, namespace: metal3}
                spec:
                  online: true
                  bootMACAddress: "00:5c:52:31:3a:9c"
                  bmc: {address: "redfish+http://192.168.111.1:8000/redfish/v1/Systems/node-0", credentialsName: node-0-bmc-secret}
                status:
                  errorCount: 0
                  errorMessage: ""
                  operationalStatus: OK
                  poweredOn: true
                  provisioningFailCount: 0
                  lastUpdated: "2026-11-20T10:00:00Z"
                  provisioning:
                    ID: 8a5a0e5d-1c5e-4f35-9d3c-a2f1d7b3a001
                    state: provisioned
                    bootMode: UEFI
                    image: {url: "http://172.22.0.1/images/node.qcow2"}
                  hardware:
                    cpu: {arch: x86_64, count: 32, model: "Intel Xeon"}
                    ramMebibytes: 131072
                """, GenericKubernetesResource.class);

        GenericKubernetesResource created = client.genericKubernetesResources(BMH).inNamespace("metal3").resource(host).create();
        assertNull(created.getAdditionalProperties().get("status"), "the apiserver must drop status on create");

        created.setAdditionalProperty("status", host.getAdditionalProperties().get("status"));
        client.genericKubernetesResources(BMH).inNamespace("metal3").resource(created).updateStatus();

        GenericKubernetesResource read = client.genericKubernetesResources(BMH).inNamespace("metal3").withName("node-0").get();
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) read.getAdditionalProperties().get("status");
        assertNotNull(status, "status written through /status must be kept");
        @SuppressWarnings("unchecked")
        Map<String, Object> provisioning = (Map<String, Object>) status.get("provisioning");
        assertEquals("provisioned", provisioning.get("state"));
        assertEquals("8a5a0e5d-1c5e-4f35-9d3c-a2f1d7b3a001", provisioning.get("ID"));
        assertEquals("", status.get("errorMessage"), "empty strings must survive (patched openapi validation)");
        assertEquals(Boolean.TRUE, status.get("poweredOn"));
        assertTrue(status.containsKey("hardware"));
    }

    @Test
    void statusWithoutRequiredFieldsIsRejectedByTheRealSchema() throws Exception {
        KubernetesClient client = servers.source().client();
        GenericKubernetesResource host = Serialization.unmarshal("""
                apiVersion: metal3.io/v1alpha1
                kind: BareMetalHost
                metadata: {name: node-bad, namespace: metal3}
                spec: {online: false}
                """, GenericKubernetesResource.class);
        GenericKubernetesResource created = client.genericKubernetesResources(BMH).inNamespace("metal3").resource(host).create();
        created.setAdditionalProperty("status", Map.of("provisioning", Map.of("state", "available")));
        var ex = org.junit.jupiter.api.Assertions.assertThrows(io.fabric8.kubernetes.client.KubernetesClientException.class,
                () -> client.genericKubernetesResources(BMH).inNamespace("metal3").resource(created).updateStatus());
        assertEquals(422, ex.getCode(), "the real BMH schema requires errorCount, errorMessage, ...");
    }

    /** A patch is one request: fabric8 would GET an object addressed only by name first (the bench counted 1,020 such GETs). */
    @Test
    void aPatchSendsOneRequestAndStillTellsAMissingObject() {
        KubernetesClient client = servers.source().client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("counting").endMetadata().build()).create();
        client.configMaps().inNamespace("counting").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("cm").withFinalizers("example.com/hold").endMetadata().addToData("a", "1").build()).create();
        RequestCount count = new RequestCount();
        ApiEvents counting = new ApiEvents() {
            @Override
            public void request(String what, long millis, String outcome) {
            }

            @Override
            public void retrying(String what, int attempt, int maxAttempts, long delayMillis, String reason) {
            }

            @Override
            public void sent(String method, boolean dryRun) {
                count.record(method, dryRun);
            }
        };
        try (ClusterConnection conn = KubeConnector.connect(new KubeTarget(servers.source().kubeconfig(), null, 4, 0, counting))) {
            ResourceClient api = new ResourceClient(conn, Retry.NONE);
            api.mergePatch(ResourceType.CONFIG_MAP, "counting", "cm", io.pivotctl.Json.MAPPER.valueToTree(Map.of("data", Map.of("a", "2"))));
            assertEquals("api requests: 1 (GET 0, POST 0, PUT 0, PATCH 1, DELETE 0; dry-run 0)", count.line());
            assertEquals("2", client.configMaps().inNamespace("counting").withName("cm").get().getData().get("a"));

            String uid = client.configMaps().inNamespace("counting").withName("cm").get().getMetadata().getUid();
            assertEquals(ResourceApi.Guarded.DONE, api.clearFinalizers(ResourceType.CONFIG_MAP, "counting", "cm", uid));
            assertEquals("api requests: 2 (GET 0, POST 0, PUT 0, PATCH 2, DELETE 0; dry-run 0)", count.line());
            assertTrue(client.configMaps().inNamespace("counting").withName("cm").get().getMetadata().getFinalizers().isEmpty());

            RuntimeException missing = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> api.mergePatch(ResourceType.CONFIG_MAP,
                    "counting", "nope", io.pivotctl.Json.MAPPER.valueToTree(Map.of("data", Map.of("a", "2")))));
            assertTrue(ApiErrors.isNotFound(missing), missing.toString());
            assertEquals(ResourceApi.Guarded.GONE, api.clearFinalizers(ResourceType.CONFIG_MAP, "counting", "nope", uid));
        }
    }
}

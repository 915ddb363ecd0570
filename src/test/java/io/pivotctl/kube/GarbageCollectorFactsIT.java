package io.pivotctl.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.CrdSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Executable facts about what the garbage collector and the namespace controller do to the objects pivotctl
 * deletes, on the real upstream BareMetalHost and HardwareData CRDs (installed before the controllers start, so
 * that the garbage collector watches them). The tests of every pivotctl command that deletes rely on these facts
 * being true of the servers they run on (see docs/deletes.md).
 */
class GarbageCollectorFactsIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.one()
            .withCrds(CrdSet.upstreamFiles("baremetal-operator/metal3.io_baremetalhosts.yaml", "baremetal-operator/metal3.io_hardwaredata.yaml"));

    static final ResourceDefinitionContext BMH = context("BareMetalHost", "baremetalhosts");
    static final ResourceDefinitionContext HWDATA = context("HardwareData", "hardwaredata");

    static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("metal3.io").withVersion("v1alpha1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    static KubernetesClient client() {
        return servers.source().client();
    }

    /** A host and, owned by it as BMO makes them, its HardwareData (controller) and BMC Secret (not controller). */
    static GenericKubernetesResource hostWithDependents(String ns, String name) {
        KubernetesClient c = client();
        servers.source().ensureNamespace(ns);
        GenericKubernetesResource host = c.genericKubernetesResources(BMH).inNamespace(ns).resource(Serialization.unmarshal("""
                apiVersion: metal3.io/v1alpha1
                kind: BareMetalHost
                metadata: {name: %s}
                spec:
                  online: true
                  bootMACAddress: "52:54:00:12:34:56"
                  bmc: {address: "redfish+http://192.168.111.1:8000/redfish/v1/Systems/%s", credentialsName: %s-bmc-secret}
                """.formatted(name, name, name), GenericKubernetesResource.class)).create();
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("metal3.io/v1alpha1").withKind("BareMetalHost")
                .withName(name).withUid(host.getMetadata().getUid()).build();
        GenericKubernetesResource hw = Serialization.unmarshal("""
                apiVersion: metal3.io/v1alpha1
                kind: HardwareData
                metadata: {name: %s}
                spec:
                  hardware:
                    storage: [{name: /dev/sda, wwn: "0x50014ee2b4e2f1a5", hctl: "0:0:0:0", serialNumber: "0012345678"}]
                """.formatted(name), GenericKubernetesResource.class);
        hw.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder(owner).withController(true).build()));
        c.genericKubernetesResources(HWDATA).inNamespace(ns).resource(hw).create();
        c.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(name + "-bmc-secret")
                .withOwnerReferences(owner)
                .endMetadata().withStringData(Map.of("username", "admin", "password", "0123")).build()).create();
        return host;
    }

    @Test
    void deletingAHostWithTheDefaultPropagationTakesItsHardwareDataAndBmcSecret() {
        hostWithDependents("gc-default", "node-0");
        client().genericKubernetesResources(BMH).inNamespace("gc-default").withName("node-0").delete();
        await(() -> client().genericKubernetesResources(HWDATA).inNamespace("gc-default").withName("node-0").get() == null);
        await(() -> client().secrets().inNamespace("gc-default").withName("node-0-bmc-secret").get() == null);
    }

    @Test
    void deletingAHostWithOrphanKeepsItsDependentsAndDropsTheirOwnerReference() {
        hostWithDependents("gc-orphan", "node-1");
        client().genericKubernetesResources(BMH).inNamespace("gc-orphan").withName("node-1")
                .withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
        await(() -> client().genericKubernetesResources(BMH).inNamespace("gc-orphan").withName("node-1").get() == null);
        // the orphan finalizer has run once the owner is gone: the dependents are still there, without the reference
        GenericKubernetesResource hw = client().genericKubernetesResources(HWDATA).inNamespace("gc-orphan").withName("node-1").get();
        assertNotNull(hw, "an orphaned HardwareData must survive its host");
        assertTrue(hw.getMetadata().getOwnerReferences() == null || hw.getMetadata().getOwnerReferences().isEmpty(),
                "orphaning removes the reference to the deleted owner");
        assertNotNull(client().secrets().inNamespace("gc-orphan").withName("node-1-bmc-secret").get());
    }

    @Test
    void deletingANamespaceDeletesWhatIsInIt() {
        hostWithDependents("gc-namespace", "node-2");
        client().namespaces().withName("gc-namespace").delete();
        await(() -> client().namespaces().withName("gc-namespace").get() == null);
        assertEquals(List.of(), client().genericKubernetesResources(HWDATA).inAnyNamespace().list().getItems().stream()
                .filter(h -> "gc-namespace".equals(h.getMetadata().getNamespace())).toList());
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s; kube-controller-manager log:\n" + servers.source().ensureGarbageCollector().tail());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

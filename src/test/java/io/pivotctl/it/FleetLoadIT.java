package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.InventoryLoader;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.TestApiServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test inventory is valid against the real upstream CRDs, status included. */
class FleetLoadIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.one().withCrds(CrdSet.upstream());

    @Test
    void inventoryLoadsIntoUpstreamCrdsWithStatus() {
        TestApiServer s = servers.source();
        List<ObjectNode> inv = Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("prod-a", 3, 2), new Metal3Fleet.ClusterSpec("edge-b", 1, 1)), 2);
        Map<String, Integer> counts = InventoryLoader.load(s.kubeconfig(), inv, 8);
        assertEquals(9, counts.get("BareMetalHost.metal3.io"));
        assertEquals(7, counts.get("Machine.cluster.x-k8s.io"));
        var bmh = s.client().genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace("metal3").withName("prod-a-node-0").get();
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) bmh.getAdditionalProperties().get("status");
        assertEquals("provisioned", ((Map<?, ?>) status.get("provisioning")).get("state"));
        GenericKubernetesResource hw = s.client().genericKubernetesResources("metal3.io/v1alpha1", "HardwareData").inNamespace("metal3")
                .withName("prod-a-node-0").get();
        assertEquals(bmh.getMetadata().getUid(), hw.getMetadata().getOwnerReferences().get(0).getUid());
        assertTrue(counts.values().stream().mapToInt(Integer::intValue).sum() > 100);
    }
}

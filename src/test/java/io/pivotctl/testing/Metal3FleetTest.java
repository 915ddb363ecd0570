package io.pivotctl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.ObjectId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bench makes its fleet one cluster at a time: that must be the very same fleet, and each cluster self-contained. */
class Metal3FleetTest {

    @Test
    void clustersConcatenateToTheWholeFleetAsItWasMadeBefore() {
        int hosts = 120;
        List<Metal3Fleet.ClusterSpec> specs = List.of(new Metal3Fleet.ClusterSpec("c000", 3, 47), new Metal3Fleet.ClusterSpec("c001", 3, 47),
                new Metal3Fleet.ClusterSpec("c002", 3, 17));
        List<ObjectNode> whole = Metal3Fleet.of("metal3", specs, 0);
        assertEquals(whole, Metal3Fleet.fleet("metal3", hosts));
        assertEquals(3, Metal3Fleet.fleetClusters(hosts));
        List<ObjectNode> joined = new ArrayList<>();
        for (int i = 0; i < Metal3Fleet.fleetClusters(hosts); i++) {
            joined.addAll(Metal3Fleet.fleetCluster("metal3", hosts, i));
        }
        assertEquals(whole, joined);
        assertThrows(IllegalArgumentException.class, () -> Metal3Fleet.fleetCluster("metal3", hosts, 3));
    }

    @Test
    void everyOwnerIsInTheSameCluster() {
        List<ObjectNode> cluster = Metal3Fleet.fleetCluster("metal3", 120, 1);
        Set<String> names = new HashSet<>();
        cluster.forEach(o -> names.add(ObjectId.of(o).kind() + "/" + o.path("metadata").path("name").asText()));
        int refs = 0;
        for (ObjectNode o : cluster) {
            for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
                refs++;
                String owner = ref.path("kind").asText() + "/" + ref.path("name").asText();
                assertTrue(names.contains(owner), owner + " owns " + o.path("metadata").path("name").asText() + " but is not in its cluster");
            }
        }
        assertTrue(refs > 500, "a cluster of 50 hosts has hundreds of owner references: " + refs);
    }
}

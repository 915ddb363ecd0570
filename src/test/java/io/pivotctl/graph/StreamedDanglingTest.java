package io.pivotctl.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.testing.Metal3Fleet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The dangling references found walking objects one at a time are exactly those of the whole graph. */
class StreamedDanglingTest {

    @Test
    void walkingObjectsOneAtATimeFindsWhatTheWholeGraphFinds() {
        List<ObjectNode> fleet = new ArrayList<>();
        Map<String, String> uidByName = new HashMap<>();
        for (ObjectNode o : Metal3Fleet.fleet("metal3", 60)) {
            ObjectNode c = o.deepCopy();
            String uid = UUID.nameUUIDFromBytes(ObjectId.of(c).toString().getBytes()).toString();
            c.with("metadata").put("uid", uid);
            uidByName.put(c.path("kind").asText() + "/" + c.path("metadata").path("name").asText(), uid);
            fleet.add(c);
        }
        for (ObjectNode c : fleet) {
            for (JsonNode ref : c.path("metadata").path("ownerReferences")) {
                ((ObjectNode) ref).put("uid", uidByName.getOrDefault(ref.path("kind").asText() + "/" + ref.path("name").asText(), "gone"));
            }
        }
        // every 7th object left out: its dependents' references dangle
        List<ObjectNode> kept = new ArrayList<>();
        for (int i = 0; i < fleet.size(); i++) {
            if (i % 7 != 3) {
                kept.add(fleet.get(i));
            }
        }
        List<Edge> whole = ObjectGraph.of(kept).dangling();
        assertFalse(whole.isEmpty(), "the test leaves references dangling");

        Set<ObjectId> ids = new HashSet<>();
        Map<String, ObjectId> uids = new HashMap<>();
        kept.forEach(o -> {
            ids.add(ObjectId.of(o));
            uids.put(o.path("metadata").path("uid").asText(), ObjectId.of(o));
        });
        Iterable<JsonNode> reparsed = () -> kept.stream().map(o -> (JsonNode) o.deepCopy()).iterator();
        assertEquals(whole, ObjectGraph.dangling(ids, uids, reparsed));
    }
}

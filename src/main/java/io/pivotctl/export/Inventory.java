package io.pivotctl.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceType;
import java.util.List;
import java.util.Map;

/** Everything read from the source: objects with their resource type, and each list's resourceVersion. */
record Inventory(Map<ObjectId, ObjectNode> objects, Map<ObjectId, ResourceType> types, Map<String, String> listResourceVersions) {

    List<ObjectNode> all() {
        return List.copyOf(objects.values());
    }
}

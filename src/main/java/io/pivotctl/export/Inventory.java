package io.pivotctl.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceType;
import java.util.Map;

/** Everything read from the source: each object packed for the archive, and each list's resourceVersion. */
record Inventory(Map<ObjectId, PackedObject> objects, Map<String, String> listResourceVersions) {

    ResourceType typeOf(ObjectId id) {
        PackedObject p = objects.get(id);
        return p == null ? null : p.type();
    }

    /**
     * What pausing reads of an object, as a tree shaped like the object (uid, resourceVersion, the pause
     * annotations, spec.paused); null when the object was not listed.
     */
    ObjectNode pauseView(ObjectId id) {
        PackedObject p = objects.get(id);
        if (p == null) {
            return null;
        }
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", p.type().apiVersion());
        o.put("kind", id.kind());
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", id.name());
        if (!id.namespace().isEmpty()) {
            meta.put("namespace", id.namespace());
        }
        meta.put("uid", p.uid());
        meta.put("resourceVersion", p.resourceVersion());
        if (!p.annotations().isEmpty()) {
            ObjectNode a = meta.putObject("annotations");
            p.annotations().forEach(a::put);
        }
        if (p.specPaused() != null) {
            o.putObject("spec").put("paused", p.specPaused());
        }
        return o;
    }
}

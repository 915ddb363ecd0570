package io.pivotctl.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** What export keeps of an object: everything the server stored except its write bookkeeping. */
final class ObjectCleaner {

    private ObjectCleaner() {
    }

    /** In place: the inventory is ours, and a copy of every object would double export's memory. */
    static ObjectNode stripBookkeeping(ObjectNode object) {
        JsonNode meta = object.get("metadata");
        if (meta instanceof ObjectNode m) {
            m.remove("managedFields");
            m.remove("selfLink");
        }
        return object;
    }

    /** CRDs are re-created by import, so server-assigned fields and status are dropped. */
    static ObjectNode crdForArchive(ObjectNode crd) {
        ObjectNode copy = stripBookkeeping(crd.deepCopy());
        if (copy.get("metadata") instanceof ObjectNode m) {
            m.remove("uid");
            m.remove("resourceVersion");
            m.remove("creationTimestamp");
            m.remove("generation");
        }
        copy.remove("status");
        return copy;
    }

    static byte[] yaml(JsonNode object) {
        try {
            return Json.YAML.writeValueAsBytes(Json.canonical(object));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

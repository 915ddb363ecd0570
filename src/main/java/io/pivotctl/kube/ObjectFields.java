package io.pivotctl.kube;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading the common fields of a Kubernetes object held as a JSON tree: the one place for each. */
public final class ObjectFields {

    private ObjectFields() {
    }

    /** A status worth restoring: present, an object, not empty. */
    public static boolean hasStatus(JsonNode object) {
        JsonNode s = object.get("status");
        return s != null && s.isObject() && s.size() > 0;
    }

    public static String uid(JsonNode object) {
        return object.path("metadata").path("uid").asText();
    }

    /** The value of label {@code key}, or null. */
    public static String label(JsonNode object, String key) {
        return object.path("metadata").path("labels").path(key).asText(null);
    }
}

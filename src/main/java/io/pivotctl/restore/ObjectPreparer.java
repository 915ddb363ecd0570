package io.pivotctl.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.graph.ObjectId;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns an archived object into the body to create on the target (Velero's lesson: reset what the
 * server owns, keep what the user owns): server bookkeeping is stripped, status is dropped (it is
 * written through /status afterwards), ownerReferences point at the owners' new UIDs, hosts and
 * Clusters are created paused.
 */
public final class ObjectPreparer {

    static final List<String> SERVER_FIELDS = List.of("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields",
            "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds");

    private ObjectPreparer() {
    }

    /**
     * @param uidMap archived owner UID to target owner UID; an ownerReference whose owner is not known is dropped
     *        (the garbage collector would delete an object whose owners do not exist) and reported
     */
    public static ObjectNode forCreate(ObjectNode archived, Map<String, String> uidMap, String archiveId, boolean markRestoredNow,
            Consumer<String> warnings) {
        ObjectNode o = archived.deepCopy();
        o.remove("status");
        ObjectNode meta = o.with("metadata");
        SERVER_FIELDS.forEach(meta::remove);
        ObjectId id = ObjectId.of(archived);
        JsonNode owners = meta.get("ownerReferences");
        if (owners instanceof ArrayNode arr) {
            ArrayNode kept = Json.MAPPER.createArrayNode();
            for (JsonNode ref : arr) {
                String newUid = uidMap.get(ref.path("uid").asText());
                if (newUid == null) {
                    warnings.accept(id + ": ownerReference to " + ref.path("kind").asText() + " " + ref.path("name").asText()
                            + " dropped (owner not restored by this import)");
                    continue;
                }
                ObjectNode copy = ((ObjectNode) ref).deepCopy();
                copy.put("uid", newUid);
                kept.add(copy);
            }
            if (kept.isEmpty()) {
                meta.remove("ownerReferences");
            } else {
                meta.set("ownerReferences", kept);
            }
        }
        if (Markers.isHost(id.group(), id.kind()) && !hasAnnotation(archived, Markers.BMH_PAUSED)) {
            meta.with("annotations").put(Markers.BMH_PAUSED, Markers.PAUSED_BY);
        }
        if (Markers.isCluster(id.group(), id.kind())) {
            o.with("spec").put("paused", true);
        }
        if (markRestoredNow) {
            meta.with("annotations").put(Markers.RESTORED_FROM, archiveId);
        }
        return o;
    }

    /** The archived status on the freshly created object, ready for PUT /status. */
    public static ObjectNode forStatus(ObjectNode created, ObjectNode archived) {
        ObjectNode o = created.deepCopy();
        o.set("status", archived.get("status").deepCopy());
        return o;
    }

    /** BMO's restore annotation: the status as JSON without hardware (annotations are capped at 256 KiB). */
    public static String bmhStatusAnnotation(ObjectNode archived) {
        ObjectNode status = archived.get("status").deepCopy();
        status.remove("hardware");
        return Json.toJson(Json.canonical(status));
    }

    public static boolean hasStatus(JsonNode object) {
        JsonNode s = object.get("status");
        return s != null && s.isObject() && s.size() > 0;
    }

    static boolean hasAnnotation(JsonNode object, String key) {
        return object.path("metadata").path("annotations").has(key);
    }
}

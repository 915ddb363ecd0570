package io.pivotctl.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.util.List;
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
     * Where an ownerReference points on the target: the owner's target UID, or empty when the owner is neither
     * restored by this import nor on the target (then the reference is dropped: the garbage collector would delete
     * an object whose owners do not exist). {@code because} says why, for the warning.
     */
    public interface Owners {
        java.util.Optional<String> targetUid(JsonNode ownerRef, String namespace);

        /** Archived UIDs map to themselves: for dry runs, where references stay as archived. */
        Owners AS_ARCHIVED = (ref, ns) -> java.util.Optional.of(ref.path("uid").asText());
    }

    /**
     * The body to create: server fields stripped, status removed, ownerReferences pointed at their owners' target
     * UIDs ({@code owners}; one that cannot be resolved is dropped and a warning naming both objects is given).
     */
    public static ObjectNode forCreate(ObjectNode archived, Owners owners, String archiveId, boolean markRestoredNow,
            Consumer<String> warnings) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        // everything but status, which is never sent with a create: a host's status (hardware) is most of its bytes
        archived.fields().forEachRemaining(f -> {
            if (!"status".equals(f.getKey())) {
                o.set(f.getKey(), f.getValue().deepCopy());
            }
        });
        ObjectNode meta = o.with("metadata");
        SERVER_FIELDS.forEach(meta::remove);
        ObjectId id = ObjectId.of(archived);
        JsonNode refs = meta.get("ownerReferences");
        if (refs instanceof ArrayNode arr) {
            ArrayNode kept = Json.MAPPER.createArrayNode();
            for (JsonNode ref : arr) {
                java.util.Optional<String> newUid = owners.targetUid(ref, id.namespace());
                if (newUid.isEmpty()) {
                    warnings.accept(id + ": ownerReference to " + ref.path("kind").asText() + " " + ref.path("name").asText()
                            + " dropped (the owner is neither restored by this import nor on the target)");
                    continue;
                }
                ObjectNode copy = ((ObjectNode) ref).deepCopy();
                copy.put("uid", newUid.get());
                kept.add(copy);
            }
            if (kept.isEmpty()) {
                meta.remove("ownerReferences");
            } else {
                meta.set("ownerReferences", kept);
            }
        }
        if (id.isBareMetalHost() && !hasAnnotation(archived, Metal3.HOST_PAUSED)) {
            meta.with("annotations").put(Metal3.HOST_PAUSED, PivotctlMarks.PAUSED_BY_PIVOTCTL);
        }
        if (id.isCapiCluster()) {
            o.with("spec").put("paused", true);
        }
        if (markRestoredNow) {
            meta.with("annotations").put(PivotctlMarks.RESTORED_FROM, archiveId);
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


    static boolean hasAnnotation(JsonNode object, String key) {
        return object.path("metadata").path("annotations").has(key);
    }
}

package io.pivotctl.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes to objects pivotctl did not create, each one guarded by the archived UID and by the resourceVersion the
 * caller just read: a patch carries {@code metadata.uid} and {@code metadata.resourceVersion} (the server answers 409
 * when the live object is another one or changed since), a delete carries {@code preconditions.uid} and
 * {@code preconditions.resourceVersion}. Every delete orphans ({@code propagationPolicy: Orphan}): the garbage
 * collector then takes the ownerReference off the dependents and never the dependents themselves, so nothing the
 * release leaves alone can fall with an owner it deletes.
 */
final class GuardedWrites {

    /** The live object is another one than the archive names, or changed under us: leave it alone. */
    static final class NotTheArchivedObject extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotTheArchivedObject(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The source did not answer, even after the connection's retries (its apiserver restarting, say): the caller
     * waits for it and goes on from a fresh read, since the write may or may not have happened.
     */
    static final class SourceUnreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SourceUnreachable(String what, Throwable cause) {
            super("cannot reach the source to " + what + ": " + ApiErrors.shortReason(cause), cause);
        }

        /** Rethrows {@code e} as this when it means no answer at all, so no step mistakes an outage for a refusal. */
        static void check(RuntimeException e, String what) {
            if (ApiErrors.isUnreachable(e)) {
                throw new SourceUnreachable(what, e);
            }
        }
    }

    private final ClusterConnection conn;
    private final ResourceClient client;

    GuardedWrites(ClusterConnection conn) {
        this.conn = conn;
        this.client = new ResourceClient(conn);
    }

    /** JSON merge patch guarded by uid and, when not null, by resourceVersion (what we read is what we change). Null when gone. */
    ObjectNode patch(ResourceType type, ObjectId id, String uid, String resourceVersion, ObjectNode patch) {
        ObjectNode body = patch.deepCopy();
        ObjectNode meta = body.with("metadata");
        meta.put("uid", uid);
        if (resourceVersion != null) {
            meta.put("resourceVersion", resourceVersion);
        }
        try {
            return client.mergePatch(type, id.namespace(), id.name(), body);
        } catch (RuntimeException e) {
            if (ApiErrors.isConflict(e) || uidRefused(e)) {
                throw new NotTheArchivedObject(id + " changed or was replaced since it was read (UID or resourceVersion differs)");
            }
            if (ApiErrors.isNotFound(e)) {
                return null;
            }
            SourceUnreachable.check(e, "patch " + id);
            throw ApiErrors.describe(e, "patch", id.toString(), conn.server());
        }
    }

    /** Empties metadata.finalizers, as clusterctl move does before deleting a moved object. Null when already gone. */
    ObjectNode removeFinalizers(ResourceType type, ObjectId id, String uid, String resourceVersion) {
        ObjectNode patch = Json.MAPPER.createObjectNode();
        patch.with("metadata").putNull("finalizers");
        return patch(type, id, uid, resourceVersion, patch);
    }

    /** Deletes, orphaning dependents, if the object is still {@code uid} at {@code resourceVersion}; false when it was already gone. */
    boolean delete(ResourceType type, ObjectId id, String uid, String resourceVersion) {
        Map<String, Object> preconditions = new LinkedHashMap<>();
        preconditions.put("uid", uid);
        if (resourceVersion != null) {
            preconditions.put("resourceVersion", resourceVersion);
        }
        Map<String, Object> options = Map.of("apiVersion", "v1", "kind", "DeleteOptions", "preconditions", preconditions, "propagationPolicy", "Orphan");
        String url = conn.client().getMasterUrl().toString().replaceAll("/+$", "") + path(type, id);
        try {
            String answer = conn.call("delete " + type.qualifiedResource() + " " + id.namespace() + "/" + id.name() + " (uid " + uid + ", orphan)",
                    () -> conn.client().raw(url, "DELETE", options));
            return answer != null;
        } catch (RuntimeException e) {
            if (ApiErrors.isNotFound(e)) {
                return false;
            }
            if (ApiErrors.isConflict(e)) {
                throw new NotTheArchivedObject(id + " changed or was replaced since it was read (UID or resourceVersion differs)");
            }
            SourceUnreachable.check(e, "delete " + id);
            throw ApiErrors.describe(e, "delete", id.toString(), conn.server());
        }
    }

    /**
     * A patch whose metadata.uid is not the live object's is refused either as a 409 precondition failure or, by
     * validation of the merged object, as a 422 "metadata.uid: field is immutable" (kube-apiserver 1.20 does the latter).
     */
    private static boolean uidRefused(Throwable e) {
        if (ApiErrors.code(e) != 422) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("metadata.uid")) {
                return true;
            }
        }
        return false;
    }

    private static String path(ResourceType type, ObjectId id) {
        String base = type.group().isEmpty() ? "/api/" + type.version() : "/apis/" + type.group() + "/" + type.version();
        return base + (type.namespaced() ? "/namespaces/" + id.namespace() : "") + "/" + type.plural() + "/" + id.name();
    }
}

package io.pivotctl.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;

/**
 * An object as the plan saw it: its UID, resourceVersion, a digest of its content and the UIDs of its owners. Just
 * before each write the object is read again and must still be what the plan saw ({@link #stillAsSeen}); the write
 * then carries the UID and the resourceVersion of that read as preconditions, so nothing can change in between
 * either. Two changes are not someone else's: the garbage collector taking an ownerReference off the object when
 * this release deleted the owner with {@code propagationPolicy: Orphan}, and, on a BareMetalHost, BMO writing its
 * status while it detaches the host ({@code statusIsReported}).
 */
record PlannedState(String uid, String resourceVersion, String digest, String digestWithoutFinalizers, Set<String> ownerUids,
        boolean statusIsReported) {

    PlannedState {
        ownerUids = Set.copyOf(ownerUids);
    }

    static PlannedState of(ObjectNode live, boolean statusIsReported) {
        JsonNode meta = live.path("metadata");
        return new PlannedState(meta.path("uid").asText(""), meta.path("resourceVersion").asText(""), digest(live, statusIsReported, false),
                digest(live, statusIsReported, true), ownerUids(live), statusIsReported);
    }

    /** Same object (UID) and the same content, apart from owner references the garbage collector removed. */
    boolean stillAsSeen(ObjectNode live) {
        JsonNode meta = live.path("metadata");
        if (!uid.equals(meta.path("uid").asText())) {
            return false;
        }
        if (resourceVersion.equals(meta.path("resourceVersion").asText())) {
            return true;
        }
        return ownerUids.containsAll(ownerUids(live)) && digest.equals(digest(live, statusIsReported, false));
    }

    /**
     * As {@link #stillAsSeen}, with the finalizers emptied: how the object looks after this release removed them and the
     * answer to that write was lost (the server went away), so the delete can follow.
     */
    boolean stillAsSeenWithoutFinalizers(ObjectNode live) {
        return uid.equals(live.path("metadata").path("uid").asText()) && live.path("metadata").path("finalizers").isEmpty()
                && ownerUids.containsAll(ownerUids(live)) && digestWithoutFinalizers.equals(digest(live, statusIsReported, true));
    }

    /** What a change is judged on: everything but the server's bookkeeping, the ownerReferences and, where reported, the status. */
    private static String digest(ObjectNode live, boolean statusIsReported, boolean withoutFinalizers) {
        ObjectNode copy = live.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode meta) {
            meta.remove(java.util.List.of("resourceVersion", "managedFields", "generation", "ownerReferences", "selfLink"));
            if (withoutFinalizers) {
                meta.remove("finalizers");
            }
        }
        if (statusIsReported) {
            copy.remove("status");
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Json.toJson(Json.canonical(copy)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> ownerUids(JsonNode live) {
        Set<String> out = new TreeSet<>();
        live.path("metadata").path("ownerReferences").forEach(r -> out.add(r.path("uid").asText("")));
        return out;
    }
}

package io.pivotctl.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The calls import and rollback make on a target, as an interface so the restore services can be unit-tested
 * with a small in-memory fake. {@link ResourceClient} is the real one (retries, rate limit, -v trace).
 */
public interface ResourceApi {

    /** What a write that must only touch one particular object found. */
    enum Guarded { DONE, GONE, OTHER_UID }

    Optional<ObjectNode> get(ResourceType type, String namespace, String name);

    /** Every object of {@code type} in {@code namespace} (null: all namespaces) matching {@code labelSelector} (null: all). */
    ResourceClient.Listing list(ResourceType type, String namespace, String labelSelector);

    /**
     * As {@link #list}, streamed: each object goes to {@code each} as its page is read, so a list of any length
     * needs one page of memory. Returns the list's resourceVersion.
     */
    default String forEach(ResourceType type, String namespace, String labelSelector, java.util.function.Consumer<ObjectNode> each) {
        ResourceClient.Listing all = list(type, namespace, labelSelector);
        all.items().forEach(each);
        return all.resourceVersion();
    }

    ObjectNode create(ResourceType type, ObjectNode object, boolean dryRun);

    ObjectNode update(ResourceType type, ObjectNode object);

    ObjectNode updateStatus(ResourceType type, ObjectNode object);

    ObjectNode mergePatch(ResourceType type, String namespace, String name, JsonNode patch);

    /**
     * Empties the finalizers of the object only if its UID is {@code uid} (a JSON patch whose first operation tests
     * the UID: the server applies all or nothing). OTHER_UID: an object of that name that is not the one meant.
     */
    Guarded clearFinalizers(ResourceType type, String namespace, String name, String uid);

    /** Deletes with a UID precondition: the server deletes only the object with that UID. */
    Guarded delete(ResourceType type, String namespace, String name, String uid);

    /**
     * As {@link #delete}, with {@code propagationPolicy: Orphan}: the garbage collector takes the object's
     * ownerReference off every dependent instead of deleting them, so a dependent that is not the caller's (made since,
     * by a controller or a person) survives. The object stays, Terminating with the {@code orphan} finalizer, until the
     * garbage collector has done that; the caller waits for it to be gone.
     */
    Guarded deleteOrphaning(ResourceType type, String namespace, String name, String uid);

    /** The server's address, for messages. */
    String server();

    /** How many requests may run at once against this target. */
    int concurrency();

    /** Waits up to {@code maxMillis} for the server to answer; true when it does. */
    boolean awaitReachable(long maxMillis);
}

package io.pivotctl.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Generic access to any resource as Jackson trees, with our retry policy and rate limit on every call.
 * Errors come out as fabric8 exceptions; callers name the object with {@link ApiErrors#describe}.
 */
public final class ResourceClient implements ResourceApi {

    /** Objects per list page, like kubectl's default --chunk-size. */
    public static final long PAGE_SIZE = 500;

    private final ClusterConnection conn;
    private final Retry retry;
    private final long pageSize;

    public ResourceClient(ClusterConnection conn) {
        this(conn, Retry.DEFAULT);
    }

    public ResourceClient(ClusterConnection conn, Retry retry) {
        this(conn, retry, conn.chunkSize());
    }

    /** {@code pageSize} 0: every list in one unpaged request. */
    public ResourceClient(ClusterConnection conn, Retry retry, long pageSize) {
        this.conn = conn;
        this.retry = retry;
        this.pageSize = pageSize;
    }

    public ClusterConnection connection() {
        return conn;
    }

    /** One complete list, page by page; {@code namespace} null lists across all namespaces. */
    public record Listing(List<ObjectNode> items, String resourceVersion) {
    }

    public Listing list(ResourceType type, String namespace) {
        return list(type, namespace, null);
    }

    /** As {@link #list(ResourceType, String)}, only objects matching {@code labelSelector} (null: all). */
    @Override
    public Listing list(ResourceType type, String namespace, String labelSelector) {
        List<ObjectNode> items = new ArrayList<>();
        String rv = forEachPage(type, namespace, labelSelector, new PageListener() {
            @Override
            public void restarted() {
                items.clear(); // the earlier pages belong to an expired snapshot
            }

            @Override
            public void item(ObjectNode object) {
                items.add(object);
            }
        });
        return new Listing(items, rv);
    }

    /**
     * Streams a list page by page without holding it: each object is handed to {@code each} as its page arrives, and
     * only one page is in memory. Returns the list's resourceVersion. When the continue token expires (410 Gone) the
     * list is read again from the beginning (a new snapshot); objects already handed over are not handed over again.
     */
    @Override
    public String forEach(ResourceType type, String namespace, String labelSelector, Consumer<ObjectNode> each) {
        Set<String> delivered = new HashSet<>();
        boolean[] again = {false};
        return forEachPage(type, namespace, labelSelector, new PageListener() {
            @Override
            public void restarted() {
                again[0] = true;
            }

            @Override
            public void item(ObjectNode object) {
                String key = object.path("metadata").path("namespace").asText("") + "/" + object.path("metadata").path("name").asText();
                if (delivered.add(key) || !again[0]) {
                    each.accept(object);
                }
            }
        });
    }

    /**
     * What a paged read tells its caller: every object, and that the list starts over. All pages of one read come
     * from the snapshot of its first page (the continue token pins it), so a caller that drops what it got on
     * {@link #restarted()} ends up with one consistent list at the returned resourceVersion.
     */
    public interface PageListener {
        /** The continue token expired (410 Gone): the list starts again from its first page, in a new snapshot. */
        void restarted();

        void item(ObjectNode object);
    }

    /** How often an expired continue token restarts a list before the read fails. */
    static final int MAX_RESTARTS = 3;

    /** Reads every page of one list, handing each object to {@code listener}; returns the list's resourceVersion. */
    public String forEachPage(ResourceType type, String namespace, String labelSelector, PageListener listener) {
        String what = "list " + type.qualifiedResource() + where(type, namespace) + (labelSelector == null ? "" : " -l " + labelSelector);
        for (int restarts = 0;; restarts++) {
            try {
                return readPages(type, namespace, labelSelector, what, listener);
            } catch (ExpiredContinue e) {
                if (restarts >= MAX_RESTARTS) {
                    throw PivotctlException.failed("cannot " + what + ": its continue token expired (410 Gone) " + (restarts + 1)
                            + " times, the list changes faster than it can be read in pages of " + pageSize
                            + "; try a larger --chunk-size (or 0 for one unpaged list)");
                }
                conn.events().retrying(what + " from its first page", restarts + 1, MAX_RESTARTS + 1, 0, "continue token expired (410)");
                listener.restarted();
            }
        }
    }

    /** The continue token of a list expired between two pages. */
    private static final class ExpiredContinue extends RuntimeException {
        ExpiredContinue() {
            super(null, null, false, false);
        }
    }

    private String readPages(ResourceType type, String namespace, String labelSelector, String what, PageListener listener) {
        String token = null;
        String rv = "";
        do {
            String cont = token;
            GenericKubernetesResourceList page;
            try {
                page = call(what, () -> {
                    var opts = new ListOptionsBuilder().withLimit(pageSize > 0 ? pageSize : null).withContinue(cont).withLabelSelector(labelSelector).build();
                    return type.namespaced() && namespace != null
                            ? ops(type).inNamespace(namespace).list(opts)
                            : type.namespaced() ? ops(type).inAnyNamespace().list(opts) : ops(type).list(opts);
                });
            } catch (RuntimeException e) {
                if (cont != null && ApiErrors.code(e) == 410) {
                    throw new ExpiredContinue();
                }
                throw e;
            }
            if (page.getMetadata() != null && page.getMetadata().getResourceVersion() != null && cont == null) {
                rv = page.getMetadata().getResourceVersion(); // the snapshot every later page is read at
            }
            token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            List<GenericKubernetesResource> items = page.getItems();
            for (int i = 0; i < items.size(); i++) {
                ObjectNode node = toNode(items.get(i));
                items.set(i, null); // let the page's maps go as their trees are made
                // list items carry no apiVersion/kind in some servers' responses: fill them in
                node.put("apiVersion", type.apiVersion());
                node.put("kind", type.kind());
                listener.item(node);
            }
        } while (token != null && !token.isEmpty());
        return rv;
    }

    @Override
    public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
        GenericKubernetesResource r = call("get " + type.qualifiedResource() + " " + name(type, namespace, name), () -> resource(type, namespace, name).get());
        return Optional.ofNullable(r).map(ResourceClient::toNode);
    }

    @Override
    public ObjectNode create(ResourceType type, ObjectNode object, boolean dryRun) {
        GenericKubernetesResource r = toResource(object);
        String ns = r.getMetadata().getNamespace();
        String what = (dryRun ? "create (dry run) " : "create ") + type.qualifiedResource() + " " + name(type, ns, r.getMetadata().getName());
        return toNode(call(what, () -> {
            Resource<GenericKubernetesResource> res = type.namespaced() ? ops(type).inNamespace(ns).resource(r) : ops(type).resource(r);
            return dryRun ? res.dryRun().create() : res.create();
        }));
    }

    /** PUT of the object (resourceVersion decides optimistic concurrency). */
    @Override
    public ObjectNode update(ResourceType type, ObjectNode object) {
        GenericKubernetesResource r = toResource(object);
        String ns = r.getMetadata().getNamespace();
        return toNode(call("update " + type.qualifiedResource() + " " + name(type, ns, r.getMetadata().getName()),
                () -> (type.namespaced() ? ops(type).inNamespace(ns).resource(r) : ops(type).resource(r)).update()));
    }

    /** PUT to the /status subresource. */
    @Override
    public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
        GenericKubernetesResource r = toResource(object);
        String ns = r.getMetadata().getNamespace();
        return toNode(call("update status of " + type.qualifiedResource() + " " + name(type, ns, r.getMetadata().getName()),
                () -> (type.namespaced() ? ops(type).inNamespace(ns).resource(r) : ops(type).resource(r)).updateStatus()));
    }

    /** JSON merge patch (RFC 7386). */
    @Override
    public ObjectNode mergePatch(ResourceType type, String namespace, String name, JsonNode patch) {
        String body = Json.toJson(patch);
        return toNode(call("patch " + type.qualifiedResource() + " " + name(type, namespace, name), () -> named(type, namespace, name).patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(), body)));
    }

    @Override
    public Guarded clearFinalizers(ResourceType type, String namespace, String name, String uid) {
        String body = Json.toJson(List.of(
                java.util.Map.of("op", "test", "path", "/metadata/uid", "value", uid),
                java.util.Map.of("op", "add", "path", "/metadata/finalizers", "value", List.of())));
        return guarded(type, namespace, name, uid, () -> call("patch finalizers of " + type.qualifiedResource() + " " + name(type, namespace, name)
                + " if uid " + uid, () -> named(type, namespace, name).patch(new PatchContext.Builder().withPatchType(PatchType.JSON).build(), body)));
    }

    @Override
    public Guarded delete(ResourceType type, String namespace, String name, String uid) {
        return deleteIf(type, namespace, name, uid, java.util.Map.of("apiVersion", "v1", "kind", "DeleteOptions",
                "preconditions", java.util.Map.of("uid", uid)));
    }

    @Override
    public Guarded deleteOrphaning(ResourceType type, String namespace, String name, String uid) {
        return deleteIf(type, namespace, name, uid, java.util.Map.of("apiVersion", "v1", "kind", "DeleteOptions",
                "preconditions", java.util.Map.of("uid", uid), "propagationPolicy", "Orphan"));
    }

    private Guarded deleteIf(ResourceType type, String namespace, String name, String uid, java.util.Map<String, Object> options) {
        return guarded(type, namespace, name, uid, () -> call("delete " + type.qualifiedResource() + " " + name(type, namespace, name) + " if uid " + uid,
                () -> conn.client().raw(path(type, namespace, name), "DELETE", options)));
    }

    /**
     * Runs a write that carries a UID precondition. The server answers a failed precondition with 409 (delete) or
     * 422/500 (a failed JSON patch test); one read then tells "gone" from "another object of that name".
     */
    private Guarded guarded(ResourceType type, String namespace, String name, String uid, Runnable write) {
        try {
            write.run();
            return Guarded.DONE;
        } catch (RuntimeException e) {
            if (ApiErrors.isNotFound(e)) {
                return Guarded.GONE;
            }
            if (ApiErrors.isUnreachable(e)) {
                throw e;
            }
            Optional<ObjectNode> now = get(type, namespace, name);
            if (now.isEmpty()) {
                return Guarded.GONE;
            }
            if (!uid.equals(now.get().path("metadata").path("uid").asText())) {
                return Guarded.OTHER_UID;
            }
            throw e;
        }
    }

    /** The REST path of one object, for calls the typed DSL does not offer (a delete with preconditions). */
    static String path(ResourceType type, String namespace, String name) {
        String base = type.group().isEmpty() ? "/api/" + type.version() : "/apis/" + type.group() + "/" + type.version();
        return base + (type.namespaced() ? "/namespaces/" + namespace : "") + "/" + type.plural() + "/" + name;
    }

    @Override
    public String server() {
        return conn.server();
    }

    @Override
    public int concurrency() {
        return conn.concurrency();
    }

    @Override
    public boolean awaitReachable(long maxMillis) {
        return conn.awaitReachable(maxMillis);
    }

    /** Deletes; true when something was deleted, false when it was already gone. */
    public boolean delete(ResourceType type, String namespace, String name) {
        return call("delete " + type.qualifiedResource() + " " + name(type, namespace, name), () -> !resource(type, namespace, name).delete().isEmpty());
    }

    /**
     * The object by name, for a patch: fabric8 GETs the object before patching one addressed only by name (it
     * wants an item), one request more per patch for nothing; given a stub item with the name, it sends the patch
     * alone. The server applies the patch to what it has, so the stub's content never matters.
     */
    private Resource<GenericKubernetesResource> named(ResourceType type, String namespace, String name) {
        GenericKubernetesResource stub = new GenericKubernetesResource();
        stub.setApiVersion(type.apiVersion());
        stub.setKind(type.kind());
        stub.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name)
                .withNamespace(type.namespaced() ? namespace : null).build());
        return type.namespaced() ? ops(type).inNamespace(namespace).resource(stub) : ops(type).resource(stub);
    }

    private Resource<GenericKubernetesResource> resource(ResourceType type, String namespace, String name) {
        return type.namespaced() ? ops(type).inNamespace(namespace).withName(name) : ops(type).withName(name);
    }

    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> ops(ResourceType type) {
        return conn.client().genericKubernetesResources(type.context());
    }

    private <T> T call(String what, java.util.function.Supplier<T> action) {
        return conn.call(what, retry, action);
    }

    private static String where(ResourceType type, String namespace) {
        return type.namespaced() ? (namespace == null ? " in all namespaces" : " in namespace " + namespace) : "";
    }

    private static String name(ResourceType type, String namespace, String name) {
        return type.namespaced() && namespace != null ? namespace + "/" + name : name;
    }

    public static ObjectNode toNode(GenericKubernetesResource r) {
        return Json.MAPPER.valueToTree(r);
    }

    public static GenericKubernetesResource toResource(ObjectNode node) {
        try {
            return Json.MAPPER.treeToValue(node, GenericKubernetesResource.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a Kubernetes object", e);
        }
    }

}

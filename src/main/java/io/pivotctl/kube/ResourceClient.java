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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Generic access to any resource as Jackson trees, with our retry policy and rate limit on every call.
 * Errors come out as fabric8 exceptions; callers name the object with {@link ApiErrors#describe}.
 */
public final class ResourceClient {

    public static final long PAGE_SIZE = 500;

    private final ClusterConnection conn;
    private final Retry retry;

    public ResourceClient(ClusterConnection conn) {
        this(conn, Retry.DEFAULT);
    }

    public ResourceClient(ClusterConnection conn, Retry retry) {
        this.conn = conn;
        this.retry = retry;
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
    public Listing list(ResourceType type, String namespace, String labelSelector) {
        List<ObjectNode> items = new ArrayList<>();
        String token = null;
        String rv = "";
        do {
            String cont = token;
            GenericKubernetesResourceList page = call("list " + type.qualifiedResource() + where(type, namespace) + (labelSelector == null ? "" : " -l " + labelSelector), () -> {
                var opts = new ListOptionsBuilder().withLimit(PAGE_SIZE).withContinue(cont).withLabelSelector(labelSelector).build();
                return type.namespaced() && namespace != null
                        ? ops(type).inNamespace(namespace).list(opts)
                        : type.namespaced() ? ops(type).inAnyNamespace().list(opts) : ops(type).list(opts);
            });
            for (GenericKubernetesResource r : page.getItems()) {
                ObjectNode node = toNode(r);
                // list items carry no apiVersion/kind in some servers' responses: fill them in
                node.put("apiVersion", type.apiVersion());
                node.put("kind", type.kind());
                items.add(node);
            }
            token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            if (page.getMetadata() != null && page.getMetadata().getResourceVersion() != null) {
                rv = page.getMetadata().getResourceVersion();
            }
        } while (token != null && !token.isEmpty());
        return new Listing(items, rv);
    }

    public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
        GenericKubernetesResource r = call("get " + type.qualifiedResource() + " " + name(type, namespace, name), () -> resource(type, namespace, name).get());
        return Optional.ofNullable(r).map(ResourceClient::toNode);
    }

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
    public ObjectNode update(ResourceType type, ObjectNode object) {
        GenericKubernetesResource r = toResource(object);
        String ns = r.getMetadata().getNamespace();
        return toNode(call("update " + type.qualifiedResource() + " " + name(type, ns, r.getMetadata().getName()),
                () -> (type.namespaced() ? ops(type).inNamespace(ns).resource(r) : ops(type).resource(r)).update()));
    }

    /** PUT to the /status subresource. */
    public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
        GenericKubernetesResource r = toResource(object);
        String ns = r.getMetadata().getNamespace();
        return toNode(call("update status of " + type.qualifiedResource() + " " + name(type, ns, r.getMetadata().getName()),
                () -> (type.namespaced() ? ops(type).inNamespace(ns).resource(r) : ops(type).resource(r)).updateStatus()));
    }

    /** JSON merge patch (RFC 7386). */
    public ObjectNode mergePatch(ResourceType type, String namespace, String name, JsonNode patch) {
        String body = Json.toJson(patch);
        return toNode(call("patch " + type.qualifiedResource() + " " + name(type, namespace, name), () -> resource(type, namespace, name).patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(), body)));
    }

    /** Deletes; true when something was deleted, false when it was already gone. */
    public boolean delete(ResourceType type, String namespace, String name) {
        return call("delete " + type.qualifiedResource() + " " + name(type, namespace, name), () -> !resource(type, namespace, name).delete().isEmpty());
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

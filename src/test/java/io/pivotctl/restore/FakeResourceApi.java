package io.pivotctl.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory stand-in for the target, for bookkeeping only: which calls rollback makes in which order and
 * whether each carried the UID it should. What a real apiserver decides is tested by the ITs.
 */
final class FakeResourceApi implements ResourceApi {

    /** Objects by "resource ns/name". */
    final Map<String, ObjectNode> objects = new LinkedHashMap<>();
    /** Every write, in order: "delete secrets metal3/a uid=u1". */
    final List<String> calls = new ArrayList<>();

    static String key(ResourceType type, String namespace, String name) {
        return type.qualifiedResource() + " " + (type.namespaced() ? namespace + "/" : "") + name;
    }

    ObjectNode put(ResourceType type, String namespace, String name, String uid) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name).put("uid", uid);
        if (type.namespaced()) {
            meta.put("namespace", namespace);
        }
        objects.put(key(type, namespace, name), o);
        return o;
    }

    @Override
    public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
        return Optional.ofNullable(objects.get(key(type, namespace, name))).map(ObjectNode::deepCopy);
    }

    /** Lists of these resources fail with the given HTTP status (403: forbidden, 405: no list). */
    final Map<String, Integer> listRefused = new LinkedHashMap<>();

    /** Objects of the type (in the namespace unless null) whose label matches a {@code key=value} selector (null: all). */
    @Override
    public ResourceClient.Listing list(ResourceType type, String namespace, String labelSelector) {
        if (listRefused.containsKey(type.qualifiedResource())) {
            throw new KubernetesClientException("refused", listRefused.get(type.qualifiedResource()), null);
        }
        List<ObjectNode> items = new ArrayList<>();
        objects.forEach((key, o) -> {
            JsonNode meta = o.path("metadata");
            boolean inType = key.startsWith(type.qualifiedResource() + " ");
            boolean inNamespace = namespace == null || namespace.equals(meta.path("namespace").asText());
            boolean selected = labelSelector == null
                    || labelSelector.substring(labelSelector.indexOf('=') + 1).equals(meta.path("labels").path(labelSelector.substring(0, labelSelector.indexOf('='))).asText(null));
            if (inType && inNamespace && selected) {
                items.add(o.deepCopy());
            }
        });
        return new ResourceClient.Listing(items, "1");
    }

    @Override
    public ObjectNode create(ResourceType type, ObjectNode object, boolean dryRun) {
        throw new UnsupportedOperationException();
    }

    /** As the server: refused (409) when the body's resourceVersion or UID is not the stored object's; a new resourceVersion otherwise. */
    @Override
    public ObjectNode update(ResourceType type, ObjectNode object) {
        String ns = object.path("metadata").path("namespace").asText();
        String name = object.path("metadata").path("name").asText();
        calls.add("update " + key(type, ns, name));
        ObjectNode stored = objects.get(key(type, ns, name));
        if (stored == null) {
            throw new KubernetesClientException("not found", 404, null);
        }
        for (String precondition : List.of("resourceVersion", "uid")) {
            String given = object.path("metadata").path(precondition).asText(null);
            if (given != null && !given.equals(stored.path("metadata").path(precondition).asText(null))) {
                throw new KubernetesClientException("the object has been modified", 409, null);
            }
        }
        ObjectNode written = object.deepCopy();
        written.with("metadata").put("uid", stored.path("metadata").path("uid").asText());
        written.with("metadata").put("resourceVersion", Integer.toString(++resourceVersion));
        objects.put(key(type, ns, name), written);
        return written.deepCopy();
    }

    private int resourceVersion = 100;

    @Override
    public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
        return object;
    }

    @Override
    public ObjectNode mergePatch(ResourceType type, String namespace, String name, JsonNode patch) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Guarded clearFinalizers(ResourceType type, String namespace, String name, String uid) {
        calls.add("unfinalize " + key(type, namespace, name) + " uid=" + uid);
        return guard(type, namespace, name, uid);
    }

    @Override
    public Guarded delete(ResourceType type, String namespace, String name, String uid) {
        calls.add("delete " + key(type, namespace, name) + " uid=" + uid);
        Guarded g = guard(type, namespace, name, uid);
        if (g == Guarded.DONE) {
            objects.remove(key(type, namespace, name));
        }
        return g;
    }

    /** False: orphaning deletes leave the object in place, as a server whose garbage collector does not run does. */
    boolean garbageCollector = true;

    /** Recorded as a delete with " orphan" after the UID; the object goes at once unless {@link #garbageCollector} is off. */
    @Override
    public Guarded deleteOrphaning(ResourceType type, String namespace, String name, String uid) {
        calls.add("delete " + key(type, namespace, name) + " uid=" + uid + " orphan");
        Guarded g = guard(type, namespace, name, uid);
        if (g == Guarded.DONE && garbageCollector) {
            objects.remove(key(type, namespace, name));
        }
        return g;
    }

    private Guarded guard(ResourceType type, String namespace, String name, String uid) {
        ObjectNode o = objects.get(key(type, namespace, name));
        if (o == null) {
            return Guarded.GONE;
        }
        return uid.equals(o.path("metadata").path("uid").asText()) ? Guarded.DONE : Guarded.OTHER_UID;
    }

    @Override
    public String server() {
        return "https://fake";
    }

    @Override
    public int concurrency() {
        return 1;
    }

    @Override
    public boolean awaitReachable(long maxMillis) {
        return true;
    }
}

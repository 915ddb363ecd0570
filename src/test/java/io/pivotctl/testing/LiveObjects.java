package io.pivotctl.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a cluster holds of an inventory's kinds, by UID, for tests of commands that delete: two snapshots tell exactly
 * what was deleted (a UID gone), whoever deleted it (pivotctl or the garbage collector), and what replaced what.
 */
public final class LiveObjects {

    private LiveObjects() {
    }

    /**
     * uid to "Kind namespace/name" of every object of the inventory's kinds (apiVersion and kind as in the inventory), in
     * the given namespaces for namespaced kinds, and cluster-wide for the kinds the inventory holds without a namespace.
     * Service-account token Secrets are left out: the control plane makes and removes them.
     */
    public static Map<String, String> byUid(KubernetesClient client, Collection<ObjectNode> inventory, List<String> namespaces) {
        return collect(client, inventory, namespaces, r -> {
            String ns = r.getMetadata().getNamespace();
            return r.getKind() + " " + (ns == null ? "" : ns + "/") + r.getMetadata().getName();
        });
    }

    /** uid to resourceVersion of the same objects as {@link #byUid}: equal snapshots mean nothing was written. */
    public static Map<String, String> versions(KubernetesClient client, Collection<ObjectNode> inventory, List<String> namespaces) {
        return collect(client, inventory, namespaces, r -> r.getMetadata().getResourceVersion());
    }

    private static Map<String, String> collect(KubernetesClient client, Collection<ObjectNode> inventory, List<String> namespaces,
            java.util.function.Function<GenericKubernetesResource, String> value) {
        Set<String> namespaced = new TreeSet<>();
        Set<String> global = new TreeSet<>();
        for (ObjectNode o : inventory) {
            String key = o.path("apiVersion").asText() + " " + o.path("kind").asText();
            (o.path("metadata").path("namespace").asText("").isEmpty() ? global : namespaced).add(key);
        }
        namespaced.addAll(List.of("v1 Secret", "v1 ConfigMap"));
        Map<String, String> out = new TreeMap<>();
        for (String k : namespaced) {
            String[] p = k.split(" ");
            for (String ns : namespaces) {
                client.genericKubernetesResources(p[0], p[1]).inNamespace(ns).list().getItems().forEach(r -> put(out, r, value));
            }
        }
        for (String k : global) {
            String[] p = k.split(" ");
            client.genericKubernetesResources(p[0], p[1]).list().getItems().forEach(r -> put(out, r, value));
        }
        return out;
    }

    private static void put(Map<String, String> out, GenericKubernetesResource r, java.util.function.Function<GenericKubernetesResource, String> value) {
        if (!"kubernetes.io/service-account-token".equals(r.getAdditionalProperties().get("type"))) {
            out.put(r.getMetadata().getUid(), value.apply(r));
        }
    }

    /** The objects (uid to "Kind ns/name") in {@code before} and no longer in {@code after}. */
    public static Map<String, String> gone(Map<String, String> before, Map<String, String> after) {
        Map<String, String> out = new TreeMap<>(before);
        out.keySet().removeAll(after.keySet());
        return out;
    }

    /**
     * Waits until no object of the inventory's kinds is Terminating (an orphaning delete holds the object until the
     * garbage collector has taken its ownerReference off the dependents) and the controllers answered a probe: a
     * cascade of the deletes made before would have happened by then.
     */
    public static void awaitSettled(TestApiServer server, Collection<ObjectNode> inventory, List<String> namespaces) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (terminating(server.client(), inventory, namespaces) > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("objects still Terminating after 120 s; kube-controller-manager log:\n" + server.ensureGarbageCollector().tail());
            }
            RestartableApiServer.sleep(200);
        }
        server.ensureGarbageCollector().probe();
    }

    private static int terminating(KubernetesClient client, Collection<ObjectNode> inventory, List<String> namespaces) {
        Set<String> kinds = new TreeSet<>(List.of("v1 Secret", "v1 ConfigMap"));
        inventory.forEach(o -> kinds.add(o.path("apiVersion").asText() + " " + o.path("kind").asText()));
        int n = 0;
        for (String k : kinds) {
            String[] p = k.split(" ");
            for (GenericKubernetesResource r : client.genericKubernetesResources(p[0], p[1]).inAnyNamespace().list().getItems()) {
                if (r.getMetadata().getDeletionTimestamp() != null && (r.getMetadata().getNamespace() == null || namespaces.contains(r.getMetadata().getNamespace()))) {
                    n++;
                }
            }
        }
        return n;
    }
}

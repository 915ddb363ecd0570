package io.pivotctl.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.vocabulary.Kubernetes;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.graph.LinkedObject;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.GroupVersionKind;
import io.pivotctl.kube.Parallel;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.validate.LoadedArchive;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One read of the source for a release plan, in every namespace: the live state of each archived object
 * ({@link LiveFacts}), and the links ({@link LinkedObject}) of everything of the kinds a management cluster consists
 * of (the Metal3 and Cluster API groups, move-labelled kinds, Secrets, ConfigMaps), so {@link UsageCheck} can tell
 * what something left behind still uses, wherever it lives. Holds no object whole. Reads only.
 */
final class SourceListing {

    /** What the plan works from; {@code types} is what the source serves of each archived kind (empty when it does not). */
    record Listing(Map<ObjectId, LiveFacts> archived, List<LinkedObject> all, Map<GroupVersionKind, Optional<ResourceType>> types) {
    }

    /** Lists read at once: each holds one page. */
    private static final int PARALLEL_LISTS = 4;

    private SourceListing() {
    }

    static Listing read(ClusterConnection conn, LoadedArchive archive) {
        Discovery discovery = new Discovery(conn);
        Map<GroupVersionKind, Optional<ResourceType>> types = new HashMap<>();
        Map<ObjectId, ArchivedObject> byId = new HashMap<>();
        Map<String, ResourceType> toList = new LinkedHashMap<>();
        for (ArchivedObject o : archive.objects()) {
            var e = o.entry();
            byId.put(o.id(), o);
            // archived kinds are read at the archived version: "changed since export" compares like with like
            types.computeIfAbsent(e.gvk(), k -> discovery.find(e.group(), e.version(), e.kind())).ifPresent(t -> toList.putIfAbsent(t.qualifiedResource(), t));
        }
        for (ResourceType t : discovery.exportableTypes()) {
            toList.putIfAbsent(t.qualifiedResource(), t);
        }
        toList.putIfAbsent(ResourceType.SECRET.qualifiedResource(), ResourceType.SECRET);
        toList.putIfAbsent(ResourceType.CONFIG_MAP.qualifiedResource(), ResourceType.CONFIG_MAP);
        Map<ObjectId, LiveFacts> archived = new ConcurrentHashMap<>();
        Map<String, LinkedObject> all = new ConcurrentHashMap<>();
        ResourceClient client = new ResourceClient(conn);
        Parallel.map(new ArrayList<>(toList.values()), Math.max(1, Math.min(PARALLEL_LISTS, conn.concurrency())), t -> {
            listAll(client, t, o -> {
                LinkedObject linked = LinkedObject.of(o);
                all.put(linked.uid().isEmpty() ? linked.id().toString() : linked.uid(), linked);
                ArchivedObject a = byId.get(linked.id());
                if (a != null) {
                    archived.put(linked.id(), LiveFacts.of(o, a));
                }
            });
            return null;
        });
        return new Listing(archived, List.copyOf(all.values()), types);
    }

    private static void listAll(ResourceClient client, ResourceType t, java.util.function.Consumer<ObjectNode> each) {
        try {
            client.forEach(t, null, null, o -> {
                if (relevant(o)) {
                    each.accept(o);
                }
            });
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "list", t.qualifiedResource() + (t.namespaced() ? " in all namespaces" : "")
                    + " (release-source reads the whole source to find what still uses an archived object)", client.connection().server());
        }
    }

    /** Service-account tokens and Helm releases never use a management cluster's objects: not held. */
    private static boolean relevant(ObjectNode o) {
        String type = o.path("type").asText("");
        return !type.equals(Kubernetes.SERVICE_ACCOUNT_TOKEN) && !type.startsWith("helm.sh/release");
    }
}

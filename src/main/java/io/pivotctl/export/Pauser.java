package io.pivotctl.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code export --pause}: stops the source from acting while the target takes over. Clusters get
 * {@code spec.paused: true}; BareMetalHosts get the annotation {@code baremetalhost.metal3.io/paused: pivotctl}.
 * Objects already paused are left alone, so "paused by us" is exactly what we changed.
 */
public final class Pauser {

    public static final String BMH_PAUSED = "baremetalhost.metal3.io/paused";
    public static final String PAUSED_BY = "pivotctl";

    private final ResourceClient client;

    Pauser(ResourceClient client) {
        this.client = client;
    }

    List<ObjectId> pause(Inventory inventory, Iterable<ObjectId> selected) {
        List<ObjectId> paused = new ArrayList<>();
        for (ObjectId id : selected) {
            ObjectNode o = inventory.objects().get(id);
            ResourceType type = inventory.types().get(id);
            if (o == null || type == null) {
                continue;
            }
            try {
                if (isCluster(id) && !o.path("spec").path("paused").asBoolean(false)) {
                    client.mergePatch(type, id.namespace(), id.name(), Json.MAPPER.valueToTree(Map.of("spec", Map.of("paused", true))));
                    paused.add(id);
                } else if (isHost(id) && !o.path("metadata").path("annotations").has(BMH_PAUSED)) {
                    client.mergePatch(type, id.namespace(), id.name(),
                            Json.MAPPER.valueToTree(Map.of("metadata", Map.of("annotations", Map.of(BMH_PAUSED, PAUSED_BY)))));
                    paused.add(id);
                }
            } catch (RuntimeException e) {
                throw ApiErrors.describe(e, "patch", id.toString(), client.connection().server());
            }
        }
        return paused;
    }

    static boolean isCluster(ObjectId id) {
        return "cluster.x-k8s.io".equals(id.group()) && "Cluster".equals(id.kind());
    }

    static boolean isHost(ObjectId id) {
        return "metal3.io".equals(id.group()) && "BareMetalHost".equals(id.kind());
    }

    /** What to run next, for the message export prints: both commands read what was paused from the manifest. */
    public static String unpauseHint() {
        return "to abort the pivot: pivotctl unpause ARCHIVE --kubeconfig SRC (undoes exactly these pauses); once the target is"
                + " verified: pivotctl release-source ARCHIVE --kubeconfig SRC (detaches and deletes what moved)";
    }
}

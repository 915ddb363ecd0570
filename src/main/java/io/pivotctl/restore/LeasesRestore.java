package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the archived dnsmasq lease file into a ConfigMap (key dnsmasq.leases) so it exists before
 * dnsmasq starts on the target; creates its namespace when needed.
 */
final class LeasesRestore {

    static final String KEY = "dnsmasq.leases";

    private final ResourceClient client;
    private final Journal journal;

    LeasesRestore(ResourceClient client, Journal journal) {
        this.client = client;
        this.journal = journal;
    }

    /** What is on the target now: nothing, this archive's leases already (an earlier --only leases), or something else. */
    enum Existing { NONE, SAME_ARCHIVE, OTHER }

    Existing existing(byte[] leases, String namespace, String name, String archiveId) {
        Optional<ObjectNode> cm;
        try {
            cm = client.get(ResourceType.CONFIG_MAP, namespace, name);
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "get", "leases ConfigMap " + namespace + "/" + name, client.connection().server());
        }
        if (cm.isEmpty()) {
            return Existing.NONE;
        }
        boolean same = archiveId.equals(cm.get().path("metadata").path("annotations").path(Markers.RESTORED_FROM).asText(null))
                && new String(leases, StandardCharsets.UTF_8).equals(cm.get().path("data").path(KEY).asText(null));
        return same ? Existing.SAME_ARCHIVE : Existing.OTHER;
    }

    /** Returns true when written (false when skipped by --on-conflict skip). */
    boolean restore(byte[] leases, String namespace, String name, ConflictPolicy policy, String archiveId, Map<ObjectId, ObjectNode> previous) {
        ensureNamespace(client, journal, namespace);
        ObjectNode cm = Json.MAPPER.valueToTree(Map.of(
                "apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", name, "namespace", namespace, "annotations", Map.of(Markers.RESTORED_FROM, archiveId)),
                "data", Map.of(KEY, new String(leases, StandardCharsets.UTF_8))));
        ObjectId id = new ObjectId("", "ConfigMap", namespace, name);
        try {
            Optional<ObjectNode> existing = client.get(ResourceType.CONFIG_MAP, namespace, name);
            if (existing.isPresent()) {
                if (policy == ConflictPolicy.FAIL) {
                    throw PivotctlException.invalid("leases ConfigMap " + namespace + "/" + name
                            + " already exists on the target (use --on-conflict skip or update, or --leases-configmap NS/NAME)");
                }
                if (policy == ConflictPolicy.SKIP) {
                    return false;
                }
                previous.put(id, existing.get().deepCopy());
                cm.with("metadata").put("resourceVersion", existing.get().path("metadata").path("resourceVersion").asText());
                client.update(ResourceType.CONFIG_MAP, cm);
                journal.append("update", io.pivotctl.archive.EntryPaths.id(id), ResourceType.CONFIG_MAP.qualifiedResource(), null, null, -1);
                return true;
            }
            Markers.labelRun(cm, journal.runId());
            ObjectNode created = client.create(ResourceType.CONFIG_MAP, cm, false);
            journal.append("create", io.pivotctl.archive.EntryPaths.id(id), ResourceType.CONFIG_MAP.qualifiedResource(), null,
                    created.path("metadata").path("uid").asText(), -1);
            return true;
        } catch (PivotctlException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "write", "leases ConfigMap " + namespace + "/" + name, client.connection().server());
        }
    }

    static void ensureNamespace(ResourceClient client, Journal journal, String namespace) {
        try {
            if (client.get(ResourceType.NAMESPACE, null, namespace).isPresent()) {
                return;
            }
            ObjectNode body = Json.MAPPER.valueToTree(Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", namespace)));
            Markers.labelRun(body, journal.runId());
            client.create(ResourceType.NAMESPACE, body, false);
            journal.append("namespace", namespace, ResourceType.NAMESPACE.qualifiedResource(), null, null, -1);
        } catch (RuntimeException e) {
            if (ApiErrors.isConflict(e)) {
                return; // created concurrently: it exists, which is all we need
            }
            throw ApiErrors.describe(e, "create", "namespace " + namespace, client.connection().server());
        }
    }
}

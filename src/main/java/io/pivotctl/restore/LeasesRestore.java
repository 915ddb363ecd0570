package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.NamespacedName;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.leases.DnsmasqLeasesPatch;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the archived dnsmasq lease file into a ConfigMap (key {@link DnsmasqLeasesPatch#KEY}) so it exists before
 * dnsmasq starts on the target; its namespace is created when needed ({@link Namespaces}). Every write is safe to repeat
 * after an answer was lost: a create that landed is recognised by this run's label, an update by its content.
 */
final class LeasesRestore {

    private final ResourceApi api;
    private final ImportRun run;

    LeasesRestore(ResourceApi api, ImportRun run) {
        this.api = api;
        this.run = run;
    }

    /** What is on the target now: nothing, this archive's leases already (an earlier --only leases), or something else. */
    enum Existing { NONE, SAME_ARCHIVE, OTHER }

    /** Whether the leases ConfigMap is to be written; refuses (nothing changed) when it holds other content and --on-conflict is fail. */
    static boolean toWrite(ResourceApi api, ImportJob job) {
        ImportRequest req = job.req();
        if (!req.writesLeases() || job.archive().leases().isEmpty()) {
            return false;
        }
        Existing now = existing(api, job.archive().leases().get(), req.leases(), job.archiveId());
        if (now == Existing.SAME_ARCHIVE) {
            job.progress().phase("leases ConfigMap " + req.leases() + " already holds this archive's leases");
            return false;
        }
        if (now == Existing.OTHER && req.onConflict() == ConflictPolicy.FAIL) {
            throw PivotctlException.invalid("leases ConfigMap " + req.leases() + " already exists on the target with other content"
                    + " (use --on-conflict skip or update, or --leases-configmap NS/NAME); nothing was changed");
        }
        return true;
    }

    private static Existing existing(ResourceApi api, byte[] leases, NamespacedName where, String archiveId) {
        Optional<ObjectNode> cm;
        try {
            cm = api.get(ResourceType.CONFIG_MAP, where.namespace(), where.name());
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "get", "leases ConfigMap " + where, api.server());
        }
        if (cm.isEmpty()) {
            return Existing.NONE;
        }
        return holds(cm.get(), leases, archiveId) ? Existing.SAME_ARCHIVE : Existing.OTHER;
    }

    private static boolean holds(ObjectNode cm, byte[] leases, String archiveId) {
        return archiveId.equals(cm.path("metadata").path("annotations").path(PivotctlMarks.RESTORED_FROM).asText(null))
                && new String(leases, StandardCharsets.UTF_8).equals(cm.path("data").path(DnsmasqLeasesPatch.KEY).asText(null));
    }

    /** Returns true when written (false when skipped by --on-conflict skip). */
    boolean restore(byte[] leases, NamespacedName where, ConflictPolicy policy, String archiveId) {
        new Namespaces(api, run).ensure(where.namespace());
        ObjectNode cm = Json.MAPPER.valueToTree(Map.of(
                "apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", where.name(), "namespace", where.namespace(), "annotations", Map.of(PivotctlMarks.RESTORED_FROM, archiveId)),
                "data", Map.of(DnsmasqLeasesPatch.KEY, new String(leases, StandardCharsets.UTF_8))));
        ObjectId id = new ObjectId("", "ConfigMap", where.namespace(), where.name());
        try {
            Optional<ObjectNode> existing = api.get(ResourceType.CONFIG_MAP, where.namespace(), where.name());
            if (existing.isPresent()) {
                if (policy == ConflictPolicy.FAIL) {
                    throw PivotctlException.invalid("leases ConfigMap " + where
                            + " already exists on the target (use --on-conflict skip or update, or --leases-configmap NS/NAME)");
                }
                if (policy == ConflictPolicy.SKIP) {
                    return false;
                }
                update(cm, existing.get(), id, leases, archiveId);
                return true;
            }
            RunLabel.put(cm, run.runId());
            run.created(id, ResourceType.CONFIG_MAP, RunLabel.createOrFindOurs(api, ResourceType.CONFIG_MAP, cm, run.runId()));
            return true;
        } catch (PivotctlException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "write", "leases ConfigMap " + where, api.server());
        }
    }

    private void update(ObjectNode cm, ObjectNode before, ObjectId id, byte[] leases, String archiveId) {
        cm.with("metadata").put("resourceVersion", before.path("metadata").path("resourceVersion").asText());
        cm.with("metadata").put("uid", ImportRun.uidOf(before));
        try {
            api.update(ResourceType.CONFIG_MAP, cm);
        } catch (RuntimeException e) {
            // 409 after a retry: the first attempt may have landed; it did when the ConfigMap now holds exactly our leases
            boolean landed = ApiErrors.isConflict(e) && api.get(ResourceType.CONFIG_MAP, id.namespace(), id.name())
                    .filter(now -> ImportRun.uidOf(now).equals(ImportRun.uidOf(before)) && holds(now, leases, archiveId)).isPresent();
            if (!landed) {
                throw e;
            }
        }
        run.updated(id, ResourceType.CONFIG_MAP, before);
    }
}

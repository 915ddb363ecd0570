package io.pivotctl.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.GroupVersionKind;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.kube.KubeTarget;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.validate.LoadedArchive;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pivotctl unpause}: aborts a pivot by undoing exactly what {@code export --pause} did, as its manifest
 * records it: {@code spec.paused} on those Clusters, the {@code paused: pivotctl} annotation on those hosts. A pause
 * with another value (CAPM3's {@code metal3.io/capm3}, a person's) is never touched, and neither is an object that
 * is not the archived one (UID). Each write is guarded by UID and resourceVersion. Idempotent.
 */
public final class UnpauseService {

    private static final int ATTEMPTS = 3;

    public UnpauseResult run(LoadedArchive archive, KubeTarget source) {
        Manifest m = archive.manifest();
        if (m.pausedByExport().isEmpty()) {
            throw PivotctlException.invalid("archive " + m.archiveId() + " records nothing paused by export (it was not exported with --pause):"
                    + " nothing to unpause; nothing was changed");
        }
        Map<String, ArchivedObject> byId = new HashMap<>();
        archive.objects().forEach(o -> byId.put(EntryPaths.id(o.id()), o));
        try (ClusterConnection conn = KubeConnector.connect(source)) {
            String sourceId = new Discovery(conn).clusterId();
            String archivedId = m.source() == null ? null : m.source().clusterId();
            if (archivedId != null && !"unknown".equals(archivedId) && !"unknown".equals(sourceId) && !archivedId.equals(sourceId)) {
                throw PivotctlException.invalid("--kubeconfig points at cluster " + sourceId + " (" + conn.server() + "), but the archive was"
                        + " exported from cluster " + archivedId + ": nothing was changed");
            }
            ResourceClient client = new ResourceClient(conn);
            Discovery discovery = new Discovery(conn);
            Map<GroupVersionKind, Optional<ResourceType>> types = new HashMap<>();
            List<UnpauseResult.Item> items = new ArrayList<>();
            for (String text : m.pausedByExport()) {
                ArchivedObject o = byId.get(text);
                ObjectId id = EntryPaths.parseId(text);
                if (o == null) {
                    items.add(new UnpauseResult.Item(id.toString(), UnpauseResult.Outcome.LEFT_ALONE, "not in the archive, so its UID is unknown"));
                    continue;
                }
                var e = o.entry();
                Optional<ResourceType> type = types.computeIfAbsent(e.gvk(),
                        k -> discovery.find(e.group(), e.version(), e.kind()));
                if (type.isEmpty()) {
                    items.add(new UnpauseResult.Item(id.toString(), UnpauseResult.Outcome.LEFT_ALONE, e.kind() + " " + e.version() + " is not served"));
                    continue;
                }
                items.add(unpause(new GuardedWrites(conn), client, type.get(), o));
            }
            return new UnpauseResult(m.archiveId(), conn.server(), items);
        }
    }

    private static UnpauseResult.Item unpause(GuardedWrites writes, ResourceClient client, ResourceType type, ArchivedObject o) {
        ObjectId id = o.id();
        String uid = o.uid();
        boolean cluster = id.isCapiCluster();
        for (int attempt = 1; ; attempt++) {
            Optional<ObjectNode> read;
            try {
                read = client.get(type, id.namespace(), id.name());
            } catch (RuntimeException ex) {
                throw ApiErrors.describe(ex, "get", id.toString(), client.connection().server());
            }
            if (read.isEmpty()) {
                return new UnpauseResult.Item(id.toString(), UnpauseResult.Outcome.GONE, "not on the source");
            }
            ObjectNode live = read.get();
            if (!uid.equals(live.path("metadata").path("uid").asText())) {
                return new UnpauseResult.Item(id.toString(), UnpauseResult.Outcome.LEFT_ALONE, "another object with this name (UID differs)");
            }
            ObjectNode patch = Json.MAPPER.createObjectNode();
            String change;
            if (cluster) {
                if (!live.path("spec").path("paused").asBoolean(false)) {
                    return new UnpauseResult.Item(id.toString(), UnpauseResult.Outcome.ALREADY_UNPAUSED, "spec.paused is not true");
                }
                patch.with("spec").put("paused", false);
                if (live.path("metadata").path("annotations").has(PivotctlMarks.PAUSED_BY)) {
                    patch.with("metadata").with("annotations").putNull(PivotctlMarks.PAUSED_BY); // export's marker: who paused it
                }
                change = "spec.paused: true -> false";
            } else {
                String paused = live.path("metadata").path("annotations").path(Metal3.HOST_PAUSED).asText(null);
                if (paused == null) {
                    return new UnpauseResult.Item(id.toString(), UnpauseResult.Outcome.ALREADY_UNPAUSED, "no " + Metal3.HOST_PAUSED + " annotation");
                }
                if (!PivotctlMarks.PAUSED_BY_PIVOTCTL.equals(paused)) {
                    return new UnpauseResult.Item(id.toString(), UnpauseResult.Outcome.LEFT_ALONE, "paused by '" + paused + "', not by pivotctl");
                }
                patch.with("metadata").with("annotations").putNull(Metal3.HOST_PAUSED);
                change = "annotation " + Metal3.HOST_PAUSED + "=" + PivotctlMarks.PAUSED_BY_PIVOTCTL + " removed";
            }
            try {
                if (writes.patch(type, id, uid, live.path("metadata").path("resourceVersion").asText(), patch) == null) {
                    return new UnpauseResult.Item(id.toString(), UnpauseResult.Outcome.GONE, "not on the source");
                }
                return new UnpauseResult.Item(id.toString(), UnpauseResult.Outcome.UNPAUSED, change);
            } catch (GuardedWrites.NotTheArchivedObject changed) {
                if (attempt >= ATTEMPTS) {
                    return new UnpauseResult.Item(id.toString(), UnpauseResult.Outcome.LEFT_ALONE, "kept changing while being unpaused; run again");
                }
                // changed between read and write: read again, the checks above decide anew
            }
        }
    }
}

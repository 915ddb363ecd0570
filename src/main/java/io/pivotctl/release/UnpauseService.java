package io.pivotctl.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.vocabulary.PivotctlMarks;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.Printable;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pivotctl unpause}: aborts a pivot by undoing exactly what {@code export --pause} did, as its manifest
 * records it: {@code spec.paused} on those Clusters that still carry pivotctl's marker ({@link PivotctlMarks#PAUSED_BY})
 * (removed in the same write), the {@code paused: pivotctl} annotation on those hosts. A pause without pivotctl's
 * mark (CAPM3's {@code metal3.io/capm3}, a person's, a Cluster paused again after an earlier unpause) is never
 * touched, and neither is an object that is not the archived one (UID). Each write is guarded by UID and
 * resourceVersion. Idempotent.
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
            if (!o.uid().equals(live.path("metadata").path("uid").asText())) {
                return new UnpauseResult.Item(id.toString(), UnpauseResult.Outcome.LEFT_ALONE, "another object with this name (UID differs)");
            }
            Change c = id.isCapiCluster() ? clusterChange(id, live) : hostChange(id, live);
            if (c.decided() != null) {
                return c.decided();
            }
            try {
                if (writes.patch(type, id, o.uid(), live.path("metadata").path("resourceVersion").asText(), c.patch()) == null) {
                    return new UnpauseResult.Item(id.toString(), UnpauseResult.Outcome.GONE, "not on the source");
                }
                return new UnpauseResult.Item(id.toString(), UnpauseResult.Outcome.UNPAUSED, c.text());
            } catch (GuardedWrites.NotTheArchivedObject changed) {
                if (attempt >= ATTEMPTS) {
                    return new UnpauseResult.Item(id.toString(), UnpauseResult.Outcome.LEFT_ALONE, "kept changing while being unpaused; run again");
                }
                // changed between read and write: read again, the checks decide anew
            }
        }
    }

    /** The patch that lifts pivotctl's pause and what it changes, or the decision that nothing is to be written. */
    private record Change(ObjectNode patch, String text, UnpauseResult.Item decided) {

        static Change none(ObjectId id, UnpauseResult.Outcome outcome, String why) {
            return new Change(null, null, new UnpauseResult.Item(id.toString(), outcome, why));
        }
    }

    /** A Cluster is pivotctl's to unpause only while it carries pivotctl's marker: a pause set after an earlier unpause is someone else's. */
    private static Change clusterChange(ObjectId id, ObjectNode live) {
        if (!live.path("spec").path("paused").asBoolean(false)) {
            return Change.none(id, UnpauseResult.Outcome.ALREADY_UNPAUSED, "spec.paused is not true");
        }
        if (!PivotctlMarks.PAUSED_BY_PIVOTCTL.equals(live.path("metadata").path("annotations").path(PivotctlMarks.PAUSED_BY).asText(null))) {
            return Change.none(id, UnpauseResult.Outcome.LEFT_ALONE, "spec.paused is true without pivotctl's marker " + PivotctlMarks.PAUSED_BY
                    + ": paused by someone else since, not ours to lift");
        }
        ObjectNode patch = Json.MAPPER.createObjectNode();
        patch.with("spec").put("paused", false);
        patch.with("metadata").with("annotations").putNull(PivotctlMarks.PAUSED_BY); // export's marker: who paused it
        return new Change(patch, "spec.paused: true -> false", null);
    }

    private static Change hostChange(ObjectId id, ObjectNode live) {
        String paused = live.path("metadata").path("annotations").path(Metal3.HOST_PAUSED).asText(null);
        if (paused == null) {
            return Change.none(id, UnpauseResult.Outcome.ALREADY_UNPAUSED, "no " + Metal3.HOST_PAUSED + " annotation");
        }
        if (!PivotctlMarks.PAUSED_BY_PIVOTCTL.equals(paused)) {
            return Change.none(id, UnpauseResult.Outcome.LEFT_ALONE, "paused by '" + Printable.of(paused) + "', not by pivotctl");
        }
        ObjectNode patch = Json.MAPPER.createObjectNode();
        patch.with("metadata").with("annotations").putNull(Metal3.HOST_PAUSED);
        return new Change(patch, "annotation " + Metal3.HOST_PAUSED + "=" + PivotctlMarks.PAUSED_BY_PIVOTCTL + " removed", null);
    }
}

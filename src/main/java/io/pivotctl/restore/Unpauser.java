package io.pivotctl.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.Parallel;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.vocabulary.Metal3;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last step: sets Clusters and hosts this import created or updated to their archived pause state, except
 * what the export paused only for the move (manifest pausedByExport): that is unpaused, or the target would stay
 * paused forever after a pivot. An object already as archived (a host archived paused) gets no patch. In parallel: a
 * fleet has thousands of hosts.
 * It runs after the run is journaled as applied, so it is never rolled back: it only ever moves forward, and
 * repeating it (--resume) gives the same result.
 */
final class Unpauser {

    private final ResourceApi api;
    private final ImportRun run;

    Unpauser(ResourceApi api, ImportRun run) {
        this.api = api;
        this.run = run;
    }

    /** Returns how many objects were set. */
    int unpause(PreflightResult plan, Manifest manifest) {
        Set<String> pausedForTheMove = new HashSet<>(manifest.pausedByExport());
        List<PlannedObject> ours = plan.levels().stream().flatMap(List::stream)
                .filter(p -> p.id().isPausable() && (run.created(p.id()) || run.wasUpdated(p.id())))
                .toList();
        Parallel.map(ours, api.concurrency(), p -> {
            patch(p, pausedForTheMove.contains(EntryPaths.id(p.id())));
            return null;
        });
        return ours.size();
    }

    private void patch(PlannedObject p, boolean forTheMove) {
        ObjectNode archived = p.archived().object();
        ObjectId id = p.id();
        Map<String, Object> annotations = new LinkedHashMap<>();
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("metadata", Map.of("annotations", annotations));
        if (id.isCapiCluster()) {
            // the archived field as it was: a Cluster that never had spec.paused gets none (null removes it), not "false"
            JsonNode archivedPaused = archived.path("spec").get("paused");
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("paused", forTheMove ? Boolean.FALSE : archivedPaused == null || archivedPaused.isNull() ? null : archivedPaused.asBoolean());
            patch.put("spec", spec);
        } else if (forTheMove || !ObjectPreparer.hasAnnotation(archived, Metal3.HOST_PAUSED)) {
            annotations.put(Metal3.HOST_PAUSED, null); // null removes it (JSON merge patch)
        } else {
            return; // archived paused, created with the archived annotation: already as it should be
        }
        try {
            api.mergePatch(p.type(), id.namespace(), id.name(), Json.MAPPER.valueToTree(patch));
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "unpause", id.toString(), api.server());
        }
    }
}

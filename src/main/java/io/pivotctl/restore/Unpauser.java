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
import io.pivotctl.vocabulary.PivotctlMarks;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The last step: sets Clusters and hosts this import created or updated to their archived pause state, except
 * what the export paused only for the move (manifest pausedByExport): that is unpaused, or the target would stay
 * paused forever after a pivot. An object already as archived (a host archived paused) gets no patch. In parallel: a
 * fleet has thousands of hosts.
 *
 * <p>Each patch is read-then-write, guarded by the UID this run created or updated and the resourceVersion just read
 * (a merge patch that names them is refused when either changed; a refused one is read and tried again): an object
 * replaced since is left alone and said so. A host loses only pivotctl's pause value ({@link PivotctlMarks#PAUSED_BY_PIVOTCTL}):
 * a pause someone else set (CAPM3's, a person's) stays. A Cluster is set only while it is still paused.
 * It runs after the run is journaled as applied, so it is never rolled back: it only ever moves forward, and
 * repeating it (--resume) gives the same result.
 */
final class Unpauser {

    /** How often a patch refused because the object changed meanwhile (a controller writing status) is read and tried again. */
    private static final int ATTEMPTS = 5;

    private final ResourceApi api;
    private final ImportRun run;

    Unpauser(ResourceApi api, ImportRun run) {
        this.api = api;
        this.run = run;
    }

    /** Returns how many objects were looked at. */
    int unpause(PreflightResult plan, Manifest manifest) {
        Set<String> pausedForTheMove = new HashSet<>(manifest.pausedByExport());
        List<PlannedObject> ours = plan.levels().stream().flatMap(List::stream)
                .filter(p -> p.id().isPausable() && (run.created(p.id()) || run.wasUpdated(p.id())) && run.targetUid(p.id()) != null)
                .toList();
        Parallel.map(ours, api.concurrency(), p -> {
            unpause(p, pausedForTheMove.contains(EntryPaths.id(p.id())));
            return null;
        });
        return ours.size();
    }

    private void unpause(PlannedObject p, boolean forTheMove) {
        ObjectId id = p.id();
        String uid = run.targetUid(id);
        try {
            for (int attempt = 1; ; attempt++) {
                Optional<ObjectNode> live = api.get(p.type(), id.namespace(), id.name());
                if (live.isEmpty() || !uid.equals(ImportRun.uidOf(live.get()))) {
                    run.warn(id + " was not unpaused: " + (live.isEmpty() ? "it was deleted" : "it was replaced by another object (UID differs)")
                            + " since this import wrote it");
                    return;
                }
                Optional<Map<String, Object>> patch = patchFor(p, live.get(), forTheMove);
                if (patch.isEmpty()) {
                    return;
                }
                try {
                    api.mergePatch(p.type(), id.namespace(), id.name(), Json.MAPPER.valueToTree(guarded(patch.get(), live.get())));
                    return;
                } catch (RuntimeException e) {
                    if (!ApiErrors.isConflict(e) || attempt == ATTEMPTS) {
                        throw e;
                    }
                }
            }
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "unpause", id.toString(), api.server());
        }
    }

    /** What to change on {@code live}, if anything: a Cluster's spec.paused to its archived value, a host's pivotctl pause removed. */
    private static Optional<Map<String, Object>> patchFor(PlannedObject p, ObjectNode live, boolean forTheMove) {
        ObjectNode archived = p.archived().object();
        Map<String, Object> patch = new LinkedHashMap<>();
        if (p.id().isCapiCluster()) {
            // the archived field as it was: a Cluster that never had spec.paused gets none (null removes it), not "false"
            JsonNode archivedPaused = archived.path("spec").get("paused");
            Boolean target = forTheMove ? Boolean.FALSE : archivedPaused == null || archivedPaused.isNull() ? null : archivedPaused.asBoolean();
            if (!live.path("spec").path("paused").asBoolean(false) || Boolean.TRUE.equals(target)) {
                return Optional.empty(); // not paused any more (someone unpaused it), or paused as archived
            }
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("paused", target);
            patch.put("spec", spec);
            return Optional.of(patch);
        }
        if (!forTheMove && ObjectPreparer.hasAnnotation(archived, Metal3.HOST_PAUSED)) {
            return Optional.empty(); // archived paused, created with the archived annotation: already as it should be
        }
        String value = live.path("metadata").path("annotations").path(Metal3.HOST_PAUSED).asText(null);
        if (!PivotctlMarks.PAUSED_BY_PIVOTCTL.equals(value)) {
            return Optional.empty(); // not pivotctl's pause (lifted already, or set since by someone else): theirs to lift
        }
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put(Metal3.HOST_PAUSED, null); // null removes it (JSON merge patch)
        patch.put("metadata", Map.of("annotations", annotations));
        return Optional.of(patch);
    }

    /** The patch with the UID and resourceVersion of {@code live}: the server refuses it when the object is no longer that one, as read. */
    private static Map<String, Object> guarded(Map<String, Object> patch, ObjectNode live) {
        Map<String, Object> out = new LinkedHashMap<>(patch);
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) out.getOrDefault("metadata", Map.of()));
        metadata.put("uid", ImportRun.uidOf(live));
        metadata.put("resourceVersion", live.path("metadata").path("resourceVersion").asText());
        out.put("metadata", metadata);
        return out;
    }
}

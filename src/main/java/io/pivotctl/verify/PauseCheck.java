package io.pivotctl.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The pause state a Cluster or BareMetalHost must have on the target, derived from the archive the way import
 * leaves it: objects export paused only for the move (manifest {@code pausedByExport}) end unpaused, everything
 * else keeps its archived {@code spec.paused} or {@link Metal3#HOST_PAUSED} annotation. With
 * {@code expectPaused} (the import ran with --keep-paused), Clusters are paused and hosts carry the archived
 * annotation or pivotctl's own. Anything else is a difference: a Cluster or host left paused acts on nothing.
 */
final class PauseCheck {

    private final Set<String> pausedForTheMove;
    private final boolean expectPaused;

    PauseCheck(List<String> pausedByExport, boolean expectPaused) {
        this.pausedForTheMove = Set.copyOf(pausedByExport);
        this.expectPaused = expectPaused;
    }

    /** The difference in pause state between the archived object and the live one, if any (no values beyond pause state). */
    Optional<String> difference(ArchivedObject archived, JsonNode live) {
        boolean forTheMove = pausedForTheMove.contains(EntryPaths.id(archived.id()));
        if (archived.id().isCapiCluster()) {
            boolean want = expectPaused || (!forTheMove && archived.object().path("spec").path("paused").asBoolean(false));
            boolean is = live.path("spec").path("paused").asBoolean(false);
            return want == is ? Optional.empty()
                    : Optional.of("spec.paused is " + is + ", expected " + want + why(forTheMove));
        }
        if (archived.id().isBareMetalHost()) {
            String archivedValue = archived.object().path("metadata").path("annotations").path(Metal3.HOST_PAUSED).asText(null);
            String want = expectPaused ? (archivedValue != null ? archivedValue : PivotctlMarks.PAUSED_BY_PIVOTCTL) : forTheMove ? null : archivedValue;
            String is = live.path("metadata").path("annotations").path(Metal3.HOST_PAUSED).asText(null);
            if (want == null && is != null) {
                return Optional.of("annotation " + Metal3.HOST_PAUSED + " is set (host paused), expected none" + why(forTheMove));
            }
            if (want != null && is == null) {
                return Optional.of("annotation " + Metal3.HOST_PAUSED + " is missing (host not paused), expected it set");
            }
            if (want != null && !want.equals(is)) {
                return Optional.of("annotation " + Metal3.HOST_PAUSED + " has another value than archived");
            }
        }
        return Optional.empty();
    }

    private String why(boolean forTheMove) {
        return forTheMove ? " (export paused it for the move; import lifts that)" : expectPaused ? " (--expect-paused)" : "";
    }
}

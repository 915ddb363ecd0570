package io.pivotctl.release;

import io.pivotctl.vocabulary.PivotctlMarks;
import io.pivotctl.Printable;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceType;
import java.util.Map;
import java.util.Set;

/**
 * Decides, for one archived object, what release-source may do with it from what the source holds now: nothing
 * when it is another object (UID), gone or being deleted, not paused the way export left it, paused by someone
 * else, or changed since export. Whether something left behind still uses it is {@link UsageCheck}'s part.
 */
final class StepClassifier {

    private final SourceListing.Listing listing;
    private final Map<String, Integer> levels;
    private final ReleasePlanner.Earlier earlier;
    private final Set<String> pausedByExport;

    StepClassifier(SourceListing.Listing listing, Map<String, Integer> levels, ReleasePlanner.Earlier earlier, Set<String> pausedByExport) {
        this.listing = listing;
        this.levels = levels;
        this.earlier = earlier;
        this.pausedByExport = pausedByExport;
    }

    /** {@code host}: the BareMetalHost a BMC Secret or HardwareData belongs to (its phase is the hosts'), else null. */
    ReleaseStep classify(ArchivedObject o, ObjectId host) {
        ObjectId id = o.id();
        var e = o.entry();
        ResourceType type = listing.types().get(e.gvk()).orElse(null);
        ReleaseStep.Phase phase = id.isBareMetalHost() || host != null ? ReleaseStep.Phase.HOSTS : ReleaseStep.Phase.REST;
        ReleaseStep base = new ReleaseStep(id, type, o.uid(), phase, levels.getOrDefault(EntryPaths.id(id), 0), ReleaseStep.Action.DELETE, "", host);
        if (type == null) {
            return base.leftAlone(e.kind() + " " + e.version() + " is not served by the source");
        }
        if (o.uid().isEmpty()) {
            return base.leftAlone("the archive records no UID for it");
        }
        LiveFacts live = listing.archived().get(id);
        boolean deletedEarlier = earlier.deletedIds().contains(EntryPaths.id(id));
        if (live == null) {
            return base.as(ReleaseStep.Action.GONE, deletedEarlier ? "deleted by an earlier release-source run" : "not on the source");
        }
        if (!o.uid().equals(live.uid())) {
            return base.leftAlone("another object with this name (UID " + live.uid() + ", archived " + o.uid() + ")");
        }
        if (live.deleting()) {
            return base.as(ReleaseStep.Action.GONE, deletedEarlier ? "deleted by an earlier release-source run (the garbage collector is"
                    + " finishing the orphaning)" : "being deleted (deletionTimestamp set) by someone else");
        }
        ReleaseStep pause = id.isCapiCluster() ? clusterPause(base, live) : id.isBareMetalHost() ? hostPause(base, live) : null;
        if (pause != null) {
            return pause;
        }
        if (!live.changedSinceExport().isEmpty()) {
            return base.leftAlone("changed since export: " + String.join(", ", live.changedSinceExport()));
        }
        return id.isBareMetalHost() ? base.as(ReleaseStep.Action.DETACH_DELETE, "") : base;
    }

    /**
     * Null when the Cluster is paused as export left it. A Cluster any controller may be running (not paused, or paused
     * again by someone after pivotctl's pause was lifted) refuses --yes: {@link ReleaseStep.Action#NOT_PAUSED}.
     */
    private ReleaseStep clusterPause(ReleaseStep base, LiveFacts live) {
        if (!live.clusterPaused()) {
            return base.as(ReleaseStep.Action.NOT_PAUSED, "not paused (spec.paused is not true): its controllers may be running it");
        }
        if (pausedByExport.contains(EntryPaths.id(base.id())) && !PivotctlMarks.PAUSED_BY_PIVOTCTL.equals(live.clusterPausedBy())) {
            return base.as(ReleaseStep.Action.NOT_PAUSED, "not paused by pivotctl any more: spec.paused is true but without pivotctl's marker "
                    + PivotctlMarks.PAUSED_BY + " (paused again by someone after an unpause)");
        }
        return null;
    }

    /**
     * Null when the host carries pivotctl's pause, or was detached by an earlier run of this release (which lifted that
     * pause in the same write). A host export paused that is not paused any more refuses --yes; one someone else
     * paused (at export, or since) is theirs and left alone.
     */
    private ReleaseStep hostPause(ReleaseStep base, LiveFacts live) {
        String value = live.hostPause();
        if (PivotctlMarks.PAUSED_BY_PIVOTCTL.equals(value) || value == null && live.detachRequested() && earlier.detachedUids().contains(base.uid())) {
            return null;
        }
        if (value != null) {
            return base.leftAlone("paused by '" + Printable.of(value) + "', not by pivotctl: not ours to lift");
        }
        if (pausedByExport.contains(EntryPaths.id(base.id()))) {
            return base.as(ReleaseStep.Action.NOT_PAUSED, "not paused by pivotctl any more: BMO may be managing it");
        }
        return base.leftAlone("unpaused since export, which found it paused by someone else: BMO manages it, not ours to release");
    }
}

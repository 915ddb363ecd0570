package io.pivotctl.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.validate.LoadedArchive;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes the release plan: matches every archived object with the live source by UID ({@link StepClassifier}), then
 * leaves alone whatever something staying on the source still uses ({@link UsageCheck}) and whatever belongs to a
 * host that stays. Reads only.
 */
final class ReleasePlanner {

    private final ClusterConnection conn;

    ReleasePlanner(ClusterConnection conn) {
        this.conn = conn;
    }

    /** The steps, and how the plan saw each live archived object: every write re-reads it and compares first. */
    record Plan(List<ReleaseStep> steps, Map<ObjectId, PlannedState> seen) {

        List<ReleaseStep> with(ReleaseStep.Action action) {
            return steps.stream().filter(s -> s.action() == action).toList();
        }
    }

    /** What earlier runs of this release did, from its journal: ids deleted ("group/Kind/ns/name") and UIDs of hosts detached. */
    record Earlier(Set<String> deletedIds, Set<String> detachedUids) {

        static Earlier of(List<ReleaseJournal.Record> records) {
            Set<String> deleted = new HashSet<>();
            Set<String> detached = new HashSet<>();
            for (ReleaseJournal.Record r : records) {
                if ("delete".equals(r.op())) {
                    deleted.add(r.id());
                } else if ("detach".equals(r.op()) && r.uid() != null) {
                    detached.add(r.uid());
                }
            }
            return new Earlier(deleted, detached);
        }
    }

    Plan plan(LoadedArchive archive, Earlier earlier) {
        SourceListing.Listing listing = SourceListing.read(conn, archive);
        Map<String, Integer> levels = archive.manifest().graph() == null ? Map.of() : archive.manifest().graph().levelOf();
        StepClassifier classifier = new StepClassifier(listing, levels, earlier, new HashSet<>(archive.manifest().pausedByExport()));
        Map<ObjectId, ObjectId> hostOf = hostOf(archive);
        List<ReleaseStep> steps = new ArrayList<>();
        archive.objects().stream().filter(o -> o.id().isBareMetalHost()).forEach(o -> steps.add(classifier.classify(o, null)));
        archive.objects().stream().filter(o -> !o.id().isBareMetalHost()).forEach(o -> steps.add(classifier.classify(o, hostOf.get(o.id()))));
        List<ReleaseStep> used = keepWhatIsUsed(steps, listing, archive);
        Map<ObjectId, PlannedState> seen = new HashMap<>();
        listing.archived().forEach((id, facts) -> seen.put(id, facts.state()));
        return new Plan(List.copyOf(keepWhatBelongsToStayingHosts(used)), seen);
    }

    /** A host's BMC Secret and HardwareData go with it, or stay with it. */
    private static Map<ObjectId, ObjectId> hostOf(LoadedArchive archive) {
        Map<ObjectId, ObjectId> hostOf = new HashMap<>();
        for (ArchivedObject o : archive.objects()) {
            ObjectId id = o.id();
            if (id.isBareMetalHost()) {
                String secret = o.object().path("spec").path("bmc").path("credentialsName").asText("");
                if (!secret.isEmpty()) {
                    hostOf.put(new ObjectId("", "Secret", id.namespace(), secret), id);
                }
                hostOf.put(new ObjectId("metal3.io", "HardwareData", id.namespace(), id.name()), id);
            }
        }
        return hostOf;
    }

    private static List<ReleaseStep> keepWhatIsUsed(List<ReleaseStep> steps, SourceListing.Listing listing, LoadedArchive archive) {
        Map<ObjectId, String> releasing = new LinkedHashMap<>();
        steps.stream().filter(ReleaseStep::deletes).forEach(s -> releasing.put(s.id(), s.uid()));
        Set<String> archivedUids = new HashSet<>();
        archive.objects().forEach(o -> archivedUids.add(o.uid()));
        Map<ObjectId, String> kept = UsageCheck.keptFor(listing.all(), releasing, archivedUids);
        return steps.stream().map(s -> s.deletes() && kept.containsKey(s.id()) ? s.leftAlone(kept.get(s.id())) : s).toList();
    }

    private static List<ReleaseStep> keepWhatBelongsToStayingHosts(List<ReleaseStep> steps) {
        Set<ObjectId> stayingHosts = new HashSet<>();
        steps.stream().filter(s -> s.id().isBareMetalHost() && !s.deletes() && s.action() != ReleaseStep.Action.GONE).forEach(s -> stayingHosts.add(s.id()));
        return steps.stream().map(s -> s.deletes() && s.host() != null && stayingHosts.contains(s.host())
                ? s.leftAlone("belongs to " + s.host() + ", which is left alone") : s).toList();
    }

    /**
     * Top-level fields other than metadata and status ("spec", a Secret's "data", ...) that differ between the
     * archived and the live object, compared canonically (key order and number width do not count).
     */
    static List<String> changedFields(ObjectNode archived, ObjectNode live) {
        Set<String> fields = new TreeSet<>();
        for (Iterator<String> it = archived.fieldNames(); it.hasNext();) {
            fields.add(it.next());
        }
        for (Iterator<String> it = live.fieldNames(); it.hasNext();) {
            fields.add(it.next());
        }
        fields.removeAll(Set.of("metadata", "status", "apiVersion", "kind"));
        List<String> changed = new ArrayList<>();
        for (String f : fields) {
            if (!canonical(archived.get(f)).equals(canonical(live.get(f)))) {
                changed.add(f);
            }
        }
        return changed;
    }

    private static String canonical(JsonNode n) {
        return n == null || n.isNull() ? "null" : Json.toJson(Json.canonical(n));
    }
}

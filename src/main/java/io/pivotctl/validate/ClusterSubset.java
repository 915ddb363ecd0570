package io.pivotctl.validate;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.graph.Edge;
import io.pivotctl.graph.EdgeType;
import io.pivotctl.graph.LinkedObject;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.graph.Selection;
import io.pivotctl.vocabulary.ClusterApi;
import io.pivotctl.vocabulary.Metal3;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The part of a full archive that {@code export --cluster} would have selected for the named Clusters, chosen by the
 * same {@link Selection} from the archive's own graph (the manifest's edges, the objects' labels, the archived CRDs'
 * move labels), as an archive of its own: import and verify then work on it unchanged.
 *
 * @param archive the archive cut down to the selection (manifest entries, Secrets, graph and objects)
 * @param clusters the Clusters asked for
 * @param sharedWithOthers selected objects that the Clusters not asked for select too (a template both use, a pool):
 *        on a target that has them they are used as they are
 */
public record ClusterSubset(LoadedArchive archive, List<ObjectId> clusters, Set<ObjectId> sharedWithOthers) {

    public ClusterSubset {
        clusters = List.copyOf(clusters);
        sharedWithOthers = Set.copyOf(sharedWithOthers);
    }

    /** The subset of {@code full} for the Clusters named "NAME" or "NAMESPACE/NAME"; an unknown or ambiguous name is a usage error. */
    public static ClusterSubset of(LoadedArchive full, List<String> names) {
        Manifest m = full.manifest();
        List<LinkedObject> linked = linked(m);
        List<ObjectId> ids = linked.stream().map(LinkedObject::id).toList();
        List<ObjectId> wanted = Selection.clusters(names, ids, "the archive");
        Selection.Candidates candidates = new Selection.Candidates(linked, labels(full), moveLabelledKinds(full));
        Set<ObjectId> selected = Selection.select(candidates, wanted).selected();
        List<ObjectId> others = ids.stream().filter(id -> id.isCapiCluster() && !wanted.contains(id)).toList();
        Set<ObjectId> shared = new TreeSet<>();
        if (!others.isEmpty()) {
            Set<ObjectId> theirs = Selection.select(candidates, others).selected();
            selected.stream().filter(theirs::contains).forEach(shared::add);
        }
        return new ClusterSubset(restrict(full, selected), wanted, shared);
    }

    /** Every archived object with the links the manifest's graph records from it. */
    private static List<LinkedObject> linked(Manifest m) {
        Map<String, List<Edge>> from = new HashMap<>();
        for (Manifest.GraphEdge e : m.graph().edges()) {
            ObjectId a = EntryPaths.parseId(e.from());
            ObjectId b = EntryPaths.parseId(e.to());
            from.computeIfAbsent(e.from(), k -> new ArrayList<>())
                    .add(new Edge(a, b, EdgeType.valueOf(e.type().toUpperCase(Locale.ROOT)), e.controller(), e.field()));
        }
        List<LinkedObject> out = new ArrayList<>();
        for (Manifest.Entry e : m.entries()) {
            if (e.isObject()) {
                ObjectId id = EntryPaths.idOf(e);
                out.add(new LinkedObject(id, "", List.copyOf(from.getOrDefault(EntryPaths.id(id), List.of())), List.of()));
            }
        }
        return out;
    }

    /** The labels selection reads: from the clear objects, and from the manifest for Secrets (readable without a key). */
    private static Selection.Labels labels(LoadedArchive full) {
        Map<ObjectId, Map<String, String>> labels = new HashMap<>();
        for (ArchivedObject o : full.objects()) {
            if (!o.id().isSecret()) {
                labels.put(o.id(), selectionLabels(o.object().path("metadata").path("labels")));
            }
        }
        for (Manifest.SecretInfo s : full.manifest().secrets()) {
            labels.put(new ObjectId("", "Secret", s.namespace(), s.name()), selectionLabels(Json.MAPPER.valueToTree(s.labels())));
        }
        return (id, key) -> labels.getOrDefault(id, Map.of()).get(key);
    }

    private static Map<String, String> selectionLabels(JsonNode labels) {
        Map<String, String> out = new HashMap<>();
        for (String key : List.of(ClusterApi.MOVE, ClusterApi.MOVE_HIERARCHY, Metal3.ENVIRONMENT)) {
            if (labels.hasNonNull(key)) {
                out.put(key, labels.get(key).asText());
            }
        }
        return out;
    }

    /** The archived CRDs' clusterctl move labels, "Kind.group" to label, as export read them from the source's CRDs. */
    private static Map<String, String> moveLabelledKinds(LoadedArchive full) {
        Map<String, String> out = new TreeMap<>();
        full.otherEntries().forEach((path, bytes) -> {
            if (!path.startsWith(EntryPaths.crd(""))) {
                return;
            }
            JsonNode crd;
            try {
                crd = Json.YAML.readTree(bytes);
            } catch (IOException e) {
                return; // validate reported it
            }
            JsonNode labels = crd.path("metadata").path("labels");
            String kind = crd.path("spec").path("names").path("kind").asText() + "." + crd.path("spec").path("group").asText();
            if (labels.has(ClusterApi.MOVE_HIERARCHY)) {
                out.put(kind, ClusterApi.MOVE_HIERARCHY);
            } else if (labels.has(ClusterApi.MOVE)) {
                out.put(kind, ClusterApi.MOVE);
            }
        });
        return out;
    }

    /** {@code full} with only the selected objects: manifest entries, Secret descriptions, graph and objects. */
    private static LoadedArchive restrict(LoadedArchive full, Set<ObjectId> selected) {
        Manifest m = full.manifest();
        Set<String> keep = new TreeSet<>();
        selected.forEach(id -> keep.add(EntryPaths.id(id)));
        List<Manifest.Entry> entries = m.entries().stream().filter(e -> !e.isObject() || selected.contains(EntryPaths.idOf(e))).toList();
        List<Manifest.SecretInfo> secrets = m.secrets().stream().filter(s -> selected.contains(new ObjectId("", "Secret", s.namespace(), s.name()))).toList();
        Manifest.GraphInfo g = m.graph();
        Manifest.GraphInfo graph = new Manifest.GraphInfo(
                g.edges().stream().filter(e -> keep.contains(e.from()) && keep.contains(e.to())).toList(),
                g.levels().stream().map(level -> level.stream().filter(keep::contains).toList()).toList(),
                g.cycles().stream().filter(c -> keep.containsAll(c)).toList(),
                g.dangling().stream().filter(e -> keep.contains(e.from())).toList());
        Manifest restricted = m.withContents(entries, secrets, graph);
        List<ArchivedObject> objects = full.objects().stream().filter(o -> selected.contains(o.id())).toList();
        // the leases stay behind: they are the whole site's dnsmasq state, and the target's dnsmasq keeps its own
        Map<String, byte[]> other = new HashMap<>(full.otherEntries());
        other.remove(EntryPaths.LEASES);
        // the summary stays the whole archive's: it describes the file, which is what was read and signed
        return new LoadedArchive(restricted, objects, other, full.signed(), full.report(), full.secretsDecrypted(), full.heldBytes(), full.summary());
    }
}

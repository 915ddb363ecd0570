package io.pivotctl.export;

import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.graph.ObjectId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Objects of one kind the export saw and did not archive, for one reason ("1 Machine being deleted").
 * {@code objects} always names them, for {@code -v}; the manifest keeps the names of custom resources
 * only, and just the count for Secrets and ConfigMaps.
 */
public record LeftOut(String kind, String reason, List<ObjectId> objects) {

    public LeftOut {
        objects = List.copyOf(objects);
    }

    /** "2 Secrets not referenced by an exported object". */
    public String describe() {
        return toManifest().describe();
    }

    Manifest.LeftOut toManifest() {
        boolean named = !"Secret".equals(kind) && !"ConfigMap".equals(kind);
        return new Manifest.LeftOut(kind, reason, objects.size(), named ? objects.stream().map(EntryPaths::id).toList() : List.of());
    }

    /** Groups by kind and reason, sorted, objects sorted inside each group. */
    static List<LeftOut> group(Map<ObjectId, String> reasons) {
        Map<String, Map<String, List<ObjectId>>> byKind = new TreeMap<>();
        reasons.forEach((id, reason) -> byKind.computeIfAbsent(id.kind(), k -> new TreeMap<>()).computeIfAbsent(reason, r -> new ArrayList<>()).add(id));
        List<LeftOut> out = new ArrayList<>();
        byKind.forEach((kind, m) -> m.forEach((reason, ids) -> out.add(new LeftOut(kind, reason, ids.stream().sorted().toList()))));
        return List.copyOf(out);
    }
}

package io.pivotctl.archive;

import io.pivotctl.graph.Edge;
import io.pivotctl.graph.EdgeType;
import io.pivotctl.graph.ObjectGraph;
import io.pivotctl.graph.ObjectId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The object graph as the manifest stores it (section 3.4). */
public final class GraphCodec {

    private GraphCodec() {
    }

    public static Manifest.GraphInfo toManifest(ObjectGraph graph) {
        // a fleet's graph has several edges per object: one id string per object, not two per edge, keeps it small
        Map<ObjectId, String> ids = new HashMap<>();
        Function<ObjectId, String> id = o -> ids.computeIfAbsent(o, EntryPaths::id);
        Map<String, String> fields = new HashMap<>();
        Function<Edge, Manifest.GraphEdge> edge = e -> new Manifest.GraphEdge(id.apply(e.from()), id.apply(e.to()), TYPE_NAMES.get(e.type()),
                fields.computeIfAbsent(e.field(), f -> f), e.controller());
        return new Manifest.GraphInfo(
                graph.edges().stream().map(edge).toList(),
                graph.levelOrder().stream().map(level -> level.stream().sorted().map(id).toList()).toList(),
                graph.cycles().stream().map(c -> c.stream().map(id).toList()).toList(),
                graph.dangling().stream().map(edge).toList());
    }

    private static final Map<EdgeType, String> TYPE_NAMES = new EnumMap<>(EdgeType.class);

    static {
        for (EdgeType t : EdgeType.values()) {
            TYPE_NAMES.put(t, t.name().toLowerCase(Locale.ROOT));
        }
    }

    static Manifest.GraphEdge edge(Edge e) {
        return new Manifest.GraphEdge(EntryPaths.id(e.from()), EntryPaths.id(e.to()), TYPE_NAMES.get(e.type()), e.field(), e.controller());
    }

    public static List<String> danglingWarnings(ObjectGraph graph) {
        return graph.dangling().stream()
                .map(e -> e.from() + " " + e.field() + " refers to " + e.to() + ", which is not exported")
                .toList();
    }
}

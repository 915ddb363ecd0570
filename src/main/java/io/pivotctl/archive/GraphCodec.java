package io.pivotctl.archive;

import io.pivotctl.graph.Edge;
import io.pivotctl.graph.ObjectGraph;
import java.util.List;
import java.util.Locale;

/** The object graph as the manifest stores it (section 3.4). */
public final class GraphCodec {

    private GraphCodec() {
    }

    public static Manifest.GraphInfo toManifest(ObjectGraph graph) {
        return new Manifest.GraphInfo(
                graph.edges().stream().map(GraphCodec::edge).toList(),
                graph.levelOrder().stream().map(level -> level.stream().sorted().map(EntryPaths::id).toList()).toList(),
                graph.cycles().stream().map(c -> c.stream().map(EntryPaths::id).toList()).toList(),
                graph.dangling().stream().map(GraphCodec::edge).toList());
    }

    static Manifest.GraphEdge edge(Edge e) {
        return new Manifest.GraphEdge(EntryPaths.id(e.from()), EntryPaths.id(e.to()), e.type().name().toLowerCase(Locale.ROOT),
                e.field(), e.controller());
    }

    public static List<String> danglingWarnings(ObjectGraph graph) {
        return graph.dangling().stream()
                .map(e -> e.from() + " " + e.field() + " refers to " + e.to() + ", which is not exported")
                .toList();
    }
}

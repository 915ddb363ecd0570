package io.pivotctl.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.archive.ArchiveWriter;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.graph.ObjectId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An archive written by pivotctl's own writer from objects a test names, with their restore levels: for import
 * cases the export side cannot produce yet (cluster-scoped objects, owners outside the archive). No Secrets, no
 * leases, no encryption recipients needed.
 */
public final class HandMadeArchive {

    private final List<ArchiveWriter.Source> sources = new ArrayList<>();
    private final Map<Integer, List<String>> levels = new TreeMap<>();
    private String createdAt = "2026-11-25T10:00:00Z";
    private String sourceClusterId = "source-uid";
    private Manifest.Selection selection = new Manifest.Selection(List.of("metal3"), false, List.of());

    /** The manifest's creation time (ISO-8601), e.g. a skewed clock's or a hand-edited one. */
    public HandMadeArchive createdAt(String time) {
        this.createdAt = time;
        return this;
    }

    /** The source cluster id and selection the manifest records (backups of several sources in one prefix). */
    public HandMadeArchive from(String clusterId, Manifest.Selection what) {
        this.sourceClusterId = clusterId;
        this.selection = what;
        return this;
    }

    /** Adds {@code object} (apiVersion, kind, metadata.name/namespace/uid set) of resource {@code plural}, restored at {@code level}. */
    public HandMadeArchive add(ObjectNode object, String plural, int level) {
        String apiVersion = object.path("apiVersion").asText();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        ObjectId id = ObjectId.of(object);
        Manifest.Entry e = Manifest.Entry.object(new Manifest.Entry.ResourceKind(group, version, id.kind(), plural), id.namespace(), id.name(),
                object.has("status"));
        byte[] bytes;
        try {
            bytes = Json.YAML.writeValueAsBytes(Json.canonical(object));
        } catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
        sources.add(new ArchiveWriter.Source(e, () -> bytes));
        levels.computeIfAbsent(level, l -> new ArrayList<>()).add(EntryPaths.id(id));
        return this;
    }

    public Path write(Path file) {
        Manifest m = Manifest.builder().tool(new Manifest.Tool("pivotctl", "test")).createdAt(createdAt)
                .archiveId(java.util.UUID.randomUUID().toString()).source(new Manifest.Source("https://127.0.0.1:6443", sourceClusterId, "v1.20.2"))
                .selection(selection)
                .encryption(new Manifest.Encryption(Manifest.Encryption.AGE_V1, List.of(new Manifest.Recipient(
                        "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj", "test")), false))
                .graph(new Manifest.GraphInfo(List.of(), List.copyOf(levels.values()), List.of(), List.of())).build();
        ArchiveWriter.write(file, m, sources, Optional.empty());
        return file;
    }

    public static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) Json.YAML.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

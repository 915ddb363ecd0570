package io.pivotctl.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.graph.ObjectId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The samples/ inventory: written from {@link Metal3Fleet} by {@link #write}, read back (objects plus the
 * separate status documents) by {@link #read}. Run {@code main} to regenerate samples/ after changing the
 * generator; SamplesTest fails when the committed files drift from it.
 */
public final class Samples {

    public static final List<Metal3Fleet.ClusterSpec> CLUSTERS = List.of(new Metal3Fleet.ClusterSpec("prod-a", 3, 2), new Metal3Fleet.ClusterSpec("edge-b", 1, 1));
    public static final String NAMESPACE = "metal3";
    static final String HEADER = "# Written by pivotctl's sample generator (src/test/java/io/pivotctl/testing/Samples.java); see samples/README.md.\n";

    private Samples() {
    }

    public static List<ObjectNode> inventory() {
        return Metal3Fleet.of(NAMESPACE, CLUSTERS, 2);
    }

    /** Files of samples/metal3-management: one per cluster plus hosts.yaml (spare hosts), and status/ with the status documents. */
    public static Map<String, String> files() {
        Map<String, List<ObjectNode>> objects = new LinkedHashMap<>();
        Map<String, List<ObjectNode>> status = new LinkedHashMap<>();
        for (ObjectNode o : inventory()) {
            String cluster = o.path("metadata").path("labels").path(Metal3Fleet.CLUSTER_LABEL).asText(null);
            if ("Cluster".equals(o.path("kind").asText())) {
                cluster = o.path("metadata").path("name").asText();
            }
            String file = cluster == null ? "spare-hosts.yaml" : cluster + ".yaml";
            ObjectNode copy = o.deepCopy();
            JsonNode st = copy.remove("status");
            objects.computeIfAbsent(file, k -> new ArrayList<>()).add(copy);
            if (st != null) {
                ObjectNode doc = Json.MAPPER.createObjectNode();
                doc.put("apiVersion", o.path("apiVersion").asText());
                doc.put("kind", o.path("kind").asText());
                doc.putObject("metadata").put("name", o.path("metadata").path("name").asText()).put("namespace", NAMESPACE);
                doc.set("status", st);
                status.computeIfAbsent("status/" + file, k -> new ArrayList<>()).add(doc);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("00-namespace.yaml", HEADER + "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + NAMESPACE + "\n");
        objects.forEach((f, list) -> out.put(f, HEADER + yamlDocs(list)));
        status.forEach((f, list) -> out.put(f, HEADER + yamlDocs(list)));
        return out;
    }

    /** samples/dnsmasq.leases: a lease per host boot MAC on the provisioning network, plus one stale lease. */
    public static String leases() {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (ObjectNode o : inventory()) {
            if ("BareMetalHost".equals(o.path("kind").asText())) {
                b.append(1795000000L + i).append(' ').append(o.at("/spec/bootMACAddress").asText()).append(" 172.22.0.").append(10 + i)
                        .append(' ').append(o.at("/metadata/name").asText()).append(" 01:").append(o.at("/spec/bootMACAddress").asText()).append('\n');
                i++;
            }
        }
        b.append("1795000099 00:5c:52:de:ad:01 172.22.0.99 decommissioned-node-7 *\n");
        return b.toString();
    }

    private static String yamlDocs(List<ObjectNode> docs) {
        StringBuilder b = new StringBuilder();
        for (ObjectNode d : docs) {
            try {
                b.append("---\n").append(Json.YAML.writeValueAsString(Json.canonical(d)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return b.toString();
    }

    /** Reads an inventory directory: every YAML document, with status documents under status/ merged into their objects. */
    public static List<ObjectNode> read(Path dir) {
        Map<ObjectId, ObjectNode> objects = new LinkedHashMap<>();
        Map<ObjectId, JsonNode> status = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                boolean isStatus = dir.relativize(f).toString().startsWith("status");
                for (JsonNode doc : Json.YAML.readerFor(JsonNode.class).readValues(Files.readString(f)).readAll().stream().map(JsonNode.class::cast).toList()) {
                    if (!(doc instanceof ObjectNode o) || o.path("kind").asText().isEmpty() || "Namespace".equals(o.path("kind").asText())) {
                        continue;
                    }
                    if (isStatus) {
                        status.put(ObjectId.of(o), o.get("status"));
                    } else {
                        objects.put(ObjectId.of(o), o);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        status.forEach((id, st) -> {
            ObjectNode o = objects.get(id);
            if (o == null) {
                throw new IllegalArgumentException("status for " + id + " but no such object in " + dir);
            }
            o.set("status", st);
        });
        return new ArrayList<>(objects.values());
    }

    /** Regenerates samples/ from the generator: {@code Samples <samples-dir>}. */
    public static void main(String[] args) throws IOException {
        Path samples = Path.of(args.length > 0 ? args[0] : "samples");
        Path inv = samples.resolve("metal3-management");
        Files.createDirectories(inv.resolve("status"));
        for (Map.Entry<String, String> e : files().entrySet()) {
            Files.writeString(inv.resolve(e.getKey()), e.getValue());
        }
        Files.writeString(samples.resolve("dnsmasq.leases"), leases());
        System.out.println("wrote " + files().size() + " files to " + inv.toString().toLowerCase(Locale.ROOT));
    }
}

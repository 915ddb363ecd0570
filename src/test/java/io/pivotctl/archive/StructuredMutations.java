package io.pivotctl.archive;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.crypto.ManifestSigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mutations that know the archive format (issue 20): each takes a good format 1.1 archive and makes one that a reader
 * must refuse by a limit or a check, never by running out of memory. The summary is kept in step with a changed
 * manifest (its size and SHA-256), as a careful forger would, so that what refuses the archive is the check the
 * mutation aims at, not the summary's digest; only {@link #contradictingSummary} changes what the summary says.
 */
final class StructuredMutations {

    static final int DEFAULT_ITERATIONS = 20;
    /** Per mutation: -Dpivotctl.fuzz.iterations when given (10000 runs long), else a few for the unit suite. */
    static final int ITERATIONS = Integer.getInteger("pivotctl.fuzz.iterations", DEFAULT_ITERATIONS);

    /** One mutation: a random variant of a good archive, as the archive's bytes and what was done. */
    interface Mutation {
        Mutant apply(Random rnd);
    }

    record Mutant(byte[] archive, String what) {
    }

    private final ArchiveContents good;
    private final ObjectNode manifest;
    private final ObjectNode summary;

    StructuredMutations(ArchiveContents good) {
        this.good = good;
        try {
            this.manifest = (ObjectNode) Json.MAPPER.readTree(good.manifestBytes());
            this.summary = (ObjectNode) Json.MAPPER.readTree(good.entry(EntryPaths.SUMMARY).orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every mutation by name. */
    Map<String, Mutation> all() {
        Map<String, Mutation> m = new LinkedHashMap<>();
        m.put("huge arrays", this::hugeArray);
        m.put("deep nesting", this::deepNesting);
        m.put("long strings and names", this::longString);
        m.put("many unknown entries", this::manyUnknownEntries);
        m.put("duplicated keys", this::duplicatedKey);
        m.put("a summary that contradicts its manifest", this::contradictingSummary);
        return m;
    }

    /**
     * Elements that are not what the array holds ({@code {}}, numbers, nulls, nested empty arrays), from one to past the
     * archive's entry limit in {@code entries}, {@code secrets} or {@code graph.edges}; rarely past the format's 2 million
     * in an array the reader does not know.
     */
    Mutant hugeArray(Random rnd) {
        ObjectNode m = manifest.deepCopy();
        ArrayNode target;
        String where;
        int count;
        if (rnd.nextInt(100) == 0) {
            where = "unknown";
            target = m.putArray("unknown");
            count = FormatLimits.MAX_ELEMENTS + 1 + rnd.nextInt(1000);
        } else {
            where = List.of("entries", "secrets", "edges").get(rnd.nextInt(3));
            target = "edges".equals(where) ? (ArrayNode) m.get("graph").get("edges") : (ArrayNode) m.get(where);
            count = 1 + (int) Math.min(200_000, Math.exp(rnd.nextDouble() * Math.log(200_000)));
        }
        JsonNode element = List.<JsonNode>of(JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.numberNode(rnd.nextInt()),
                JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.arrayNode()).get(rnd.nextInt(4));
        for (int i = 0; i < count; i++) {
            target.add(element);
        }
        return withManifest(bytes(m), count + " x " + element + " in " + where);
    }

    /** Arrays or objects nested past the format's 64 levels, as a known field's value, an entry's or an unknown field. */
    Mutant deepNesting(Random rnd) {
        int depth = FormatLimits.MAX_DEPTH + 1 + (int) Math.exp(rnd.nextDouble() * Math.log(200_000));
        boolean objects = rnd.nextBoolean();
        StringBuilder deep = new StringBuilder(depth * 6);
        for (int i = 0; i < depth; i++) {
            deep.append(objects ? "{\"a\":" : "[");
        }
        deep.append("0");
        for (int i = 0; i < depth; i++) {
            deep.append(objects ? "}" : "]");
        }
        String placeholder = "\"__deep__\"";
        ObjectNode m = manifest.deepCopy();
        String where = List.of("tool", "unknown", "entries[0].unknown", "graph.levels").get(rnd.nextInt(4));
        switch (where) {
            case "tool" -> m.put("tool", "__deep__");
            case "unknown" -> m.put("unknown", "__deep__");
            case "entries[0].unknown" -> ((ObjectNode) m.get("entries").get(0)).put("unknown", "__deep__");
            default -> ((ObjectNode) m.get("graph")).put("levels", "__deep__");
        }
        String text = new String(bytes(m), StandardCharsets.UTF_8).replace(placeholder, deep);
        return withManifest(text.getBytes(StandardCharsets.UTF_8), "depth " + depth + (objects ? " of objects" : " of arrays") + " at " + where);
    }

    /** A string or key past 64 KiB in the manifest, or an entry name past 4096 characters in the tar. */
    Mutant longString(Random rnd) {
        int length = FormatLimits.MAX_STRING + 1 + (int) Math.exp(rnd.nextDouble() * Math.log(2_000_000));
        String text = "x".repeat(length);
        ObjectNode m = manifest.deepCopy();
        int choice = rnd.nextInt(5);
        switch (choice) {
            case 0 -> m.put("archiveId", text);
            case 1 -> ((ObjectNode) m.get("entries").get(rnd.nextInt(m.get("entries").size()))).put("path", text);
            case 2 -> m.put(text, 1);
            case 3 -> ((ObjectNode) m.get("source")).put("server", text);
            default -> {
                int nameLength = FormatLimits.MAX_ENTRY_NAME + 1 + rnd.nextInt(60_000);
                Map<String, byte[]> extra = new LinkedHashMap<>();
                extra.put("objects/" + "n".repeat(nameLength - 13) + ".yaml", new byte[rnd.nextInt(100)]);
                return new Mutant(tar(summary, good.manifestBytes(), extra), "an entry name of " + nameLength + " characters");
            }
        }
        return withManifest(bytes(m), "a string of " + length + " characters (" + List.of("archiveId", "an entry's path", "a key", "source.server").get(choice) + ")");
    }

    /** Entries the manifest does not list, from one to past the archive's entry limit, with names short and long. */
    Mutant manyUnknownEntries(Random rnd) {
        int count = 1 + (int) Math.exp(rnd.nextDouble() * Math.log(ArchiveFuzzTest.LIMITS.maxEntries() * 1.2));
        int nameLength = 1 + (int) Math.exp(rnd.nextDouble() * Math.log(4000));
        Map<String, byte[]> extra = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String number = Integer.toString(i);
            String name = "objects/unknown/" + "0".repeat(Math.max(0, nameLength - number.length())) + number + ".yaml";
            extra.put(name, rnd.nextInt(4) == 0 ? ("kind: Foo\nmetadata: {name: a" + i + "}\n").getBytes(StandardCharsets.UTF_8) : new byte[0]);
        }
        return new Mutant(tar(summary, good.manifestBytes(), extra), count + " unlisted entries, names of " + (nameLength + 20) + " characters");
    }

    /** One key of one object of the manifest written twice (the same or another value): never "the last one wins". */
    Mutant duplicatedKey(Random rnd) {
        List<ObjectNode> objects = new ArrayList<>();
        collect(manifest, objects);
        ObjectNode target = objects.get(rnd.nextInt(objects.size()));
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        String key = names.get(rnd.nextInt(names.size()));
        JsonNode second = rnd.nextBoolean() ? target.get(key) : JsonNodeFactory.instance.textNode("other");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            writeWithDuplicate(g, manifest, target, key, second);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return withManifest(out.toByteArray(), "key '" + key + "' twice in an object with " + names.size() + " keys");
    }

    /** The summary says something else than the manifest or the hosts: one field changed, the digest kept right. */
    Mutant contradictingSummary(Random rnd) {
        ObjectNode s = summary.deepCopy();
        ObjectNode contents = (ObjectNode) s.get("contents");
        int choice = rnd.nextInt(12);
        String what = switch (choice) {
            case 0 -> set(s, "archiveId", "0b5c3e0e-8a77-4b4e-9d0a-" + String.format("%012x", rnd.nextLong() & 0xffffffffffffL));
            case 1 -> set(s, "createdAt", "2031-0" + (1 + rnd.nextInt(9)) + "-01T00:00:00Z");
            case 2 -> set((ObjectNode) s.get("source"), "server", "https://forged-" + rnd.nextInt(1000) + ".example:6443");
            case 3 -> set((ObjectNode) s.get("selection"), "allNamespaces", !s.get("selection").get("allNamespaces").asBoolean());
            case 4 -> set((ObjectNode) s.get("encryption"), "passphrase", !s.get("encryption").get("passphrase").asBoolean());
            case 5 -> set(s, "signature", ManifestSigner.SHA256_SCHEME);
            case 6 -> set((ObjectNode) s.get("manifest"), "size", s.get("manifest").get("size").asLong() + 1 + rnd.nextInt(1000));
            case 7 -> set(contents, List.of("objects", "secrets", "hosts", "leases").get(rnd.nextInt(4)), 1 + rnd.nextInt(5000) + 5);
            case 8 -> set((ObjectNode) contents.get("objectsPerKind"), "Machine.cluster.x-k8s.io", 1 + rnd.nextInt(5000));
            case 9 -> set((ObjectNode) contents.get("hostsPerState"), List.of("available", "provisioned", "none").get(rnd.nextInt(3)), 2 + rnd.nextInt(5000));
            case 10 -> {
                ((ArrayNode) contents.get("clusters")).add("metal3/forged-" + rnd.nextInt(1000));
                yield "contents.clusters gains one";
            }
            default -> {
                ((ArrayNode) contents.get("leftOut")).addObject().put("kind", "Machine").put("reason", "being deleted").put("count", 1 + rnd.nextInt(9));
                yield "contents.leftOut gains one";
            }
        };
        return new Mutant(tar(s, good.manifestBytes(), Map.of()), "summary " + what);
    }

    private static String set(ObjectNode o, String field, Object value) {
        o.set(field, Json.MAPPER.valueToTree(value));
        return field + " = " + value;
    }

    /** Every object under {@code node} with a key to write twice. */
    private static void collect(JsonNode node, List<ObjectNode> out) {
        if (node.isObject() && !node.isEmpty()) {
            out.add((ObjectNode) node);
        }
        node.elements().forEachRemaining(child -> collect(child, out));
    }

    private static void writeWithDuplicate(JsonGenerator g, JsonNode node, ObjectNode target, String key, JsonNode second) throws IOException {
        if (node.isObject()) {
            g.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                g.writeFieldName(f.getKey());
                writeWithDuplicate(g, f.getValue(), target, key, second);
            }
            if (node == target) {
                g.writeFieldName(key);
                g.writeTree(second);
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode child : node) {
                writeWithDuplicate(g, child, target, key, second);
            }
            g.writeEndArray();
        } else {
            g.writeTree(node);
        }
    }

    /** The good archive with {@code manifestBytes} as its manifest and a summary that names their size and digest. */
    private Mutant withManifest(byte[] manifestBytes, String what) {
        ObjectNode s = summary.deepCopy();
        ((ObjectNode) s.get("manifest")).put("size", manifestBytes.length).put("sha256", Digests.sha256(manifestBytes));
        return new Mutant(tar(s, manifestBytes, Map.of()), what);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A plain tar in archive order: summary, manifest, the good archive's other entries, then {@code extra}; written as
     * raw blocks (a long name as a PAX header, as GNU tar does), which is many times faster than a tar writer for
     * thousands of long names.
     */
    private byte[] tar(ObjectNode summaryTree, byte[] manifestBytes, Map<String, byte[]> extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        put(out, EntryPaths.SUMMARY, bytes(summaryTree));
        put(out, EntryPaths.MANIFEST, manifestBytes);
        for (String name : good.order()) {
            if (!EntryPaths.SUMMARY.equals(name) && !EntryPaths.MANIFEST.equals(name)) {
                put(out, name, good.entries().get(name));
            }
        }
        extra.forEach((name, content) -> put(out, name, content));
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(ByteArrayOutputStream out, String name, byte[] content) {
        out.writeBytes(name.length() < 100 ? Bombs.entry(name, content) : Bombs.paxNamed(name, content));
    }
}

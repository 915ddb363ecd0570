package io.pivotctl.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.Printable;
import io.pivotctl.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * Parses and checks manifests: format version first (so a v2 archive gets a clear message), then the schema. Every read
 * goes through {@link UntrustedJson}: the format's limits hold whatever the manifest holds, and a parse charges what it
 * keeps to the read's {@link HeldBudget} before building it.
 */
public final class ManifestCodec {

    static final String DOCUMENT = EntryPaths.MANIFEST;
    private static final String SCHEMA_RESOURCE = "manifest-v1.schema.json";
    /** What the schema check holds at once outside the streamed arrays: the small fields, levels as empty arrays. */
    static final long SKELETON_BYTES = 32L << 20;
    /** What one element of a streamed array may hold while it is checked (an entry is a few hundred bytes). */
    static final long ELEMENT_BYTES = 1L << 20;
    private static volatile JsonSchema schema;

    private ManifestCodec() {
    }

    /** Parses a manifest held whole (tests, tools), within a budget of the heap's share for what a read keeps. */
    public static Manifest parse(byte[] manifestBytes) {
        return parse(manifestBytes, new HeldBudget(Long.MAX_VALUE, HeldBudget.HELD_HEAP_SHARE, "the manifest"));
    }

    /** Parses a manifest held whole, what it keeps charged to {@code held}. */
    public static Manifest parse(byte[] manifestBytes, HeldBudget held) {
        return parse(() -> new java.io.ByteArrayInputStream(manifestBytes), held);
    }

    /** Where a manifest can be read from, as many times as needed (it is never held whole: a 5,000-host one is 110 MB). */
    @FunctionalInterface
    public interface Source {
        InputStream open();
    }

    /**
     * Parses the manifest from a stream, refusing unknown major versions first (one pass over the top level, nothing
     * kept), then straight into the records without a JSON tree, sharing equal strings: the ids of the graph repeat the
     * entries', kinds and groups repeat thousands of times, and a fleet's manifest is most of what a read holds. Every
     * object, slot and distinct string is charged to {@code held} as it is read, before it is built.
     */
    public static Manifest parse(Source source, HeldBudget held) {
        return parse(source, held, FormatLimits.MAX_ELEMENTS);
    }

    /** As {@link #parse(Source, HeldBudget)}, listing at most {@code maxEntries} entries (the archive's entry limit). */
    public static Manifest parse(Source source, HeldBudget held, int maxEntries) {
        checkFormatVersion(source);
        try (InputStream in = source.open(); UntrustedJson.Charging p = UntrustedJson.open(in, DOCUMENT, held, false, maxEntries)) {
            return MANIFEST_MAPPER.readerFor(Manifest.class).withAttribute(StringPool.class, new StringPool(held)).readValue(p);
        } catch (IOException | RuntimeException e) {
            PivotctlException limit = UntrustedJson.refusal(DOCUMENT, e);
            if (limit != null) {
                throw limit;
            }
            throw PivotctlException.invalid("manifest.json does not match format " + Manifest.FORMAT_VERSION + ": " + ArchiveReader.oneLine(e));
        }
    }

    /** {@link Json#MAPPER} reading strings and map keys through the parse's {@link StringPool}. */
    private static final com.fasterxml.jackson.databind.ObjectMapper MANIFEST_MAPPER = Json.MAPPER.copy()
            .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
                    .addDeserializer(String.class, new SharedStringDeserializer())
                    .addKeyDeserializer(String.class, new SharedKeyDeserializer()));

    /** Equal strings of one manifest as one instance, each charged once; per parse, so nothing outlives it. */
    static final class StringPool extends java.util.HashMap<String, String> {
        private static final long serialVersionUID = 1L;
        private final transient HeldBudget held;

        StringPool(HeldBudget held) {
            this.held = held;
        }

        String share(String s) {
            if (s == null) {
                return null;
            }
            if (s.length() > 256) {
                held.add(UntrustedJson.STRING_COST + s.length());
                return s;
            }
            String had = putIfAbsent(s, s);
            if (had != null) {
                return had;
            }
            held.add(UntrustedJson.STRING_COST + s.length());
            return s;
        }
    }

    /** Strings read through the pool of the current parse (registered on {@link Json#MAPPER} users via {@link #parse(Source, HeldBudget)}). */
    static final class SharedStringDeserializer extends com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<String> {
        private static final long serialVersionUID = 1L;
        private static final com.fasterxml.jackson.databind.deser.std.StringDeserializer PLAIN =
                com.fasterxml.jackson.databind.deser.std.StringDeserializer.instance;

        SharedStringDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.databind.DeserializationContext ctxt)
                throws IOException {
            String s = PLAIN.deserialize(p, ctxt);
            Object pool = ctxt.getAttribute(StringPool.class);
            return pool instanceof StringPool sp ? sp.share(s) : s;
        }
    }

    /** Map keys (labels, annotations, list resource versions) through the same pool. */
    static final class SharedKeyDeserializer extends com.fasterxml.jackson.databind.KeyDeserializer {
        @Override
        public Object deserializeKey(String key, com.fasterxml.jackson.databind.DeserializationContext ctxt) {
            Object pool = ctxt.getAttribute(StringPool.class);
            return pool instanceof StringPool sp ? sp.share(key) : key;
        }
    }

    /** A bounded parser of a streamed manifest, past its opening brace; anything but a JSON object is refused in one line. */
    private static UntrustedJson.Charging topLevelObject(InputStream in, HeldBudget held, boolean chargeText) throws IOException {
        UntrustedJson.Charging p = UntrustedJson.open(in, DOCUMENT, held, chargeText);
        if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
            p.close();
            throw PivotctlException.invalid("manifest.json is not a JSON object");
        }
        return p;
    }

    /**
     * The format version check of a streamed manifest: reads only the top level, skipping every value but formatVersion.
     * Returns the version ("1.1").
     */
    static String checkFormatVersion(Source source) {
        try (InputStream in = source.open(); UntrustedJson.Charging p = topLevelObject(in, HeldBudget.unbounded("the format check"), false)) {
            com.fasterxml.jackson.databind.node.ObjectNode top = Json.MAPPER.createObjectNode();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken t = p.nextToken();
                if ("formatVersion".equals(field) && t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                    top.put(field, p.getText());
                } else {
                    p.skipChildren();
                }
            }
            checkFormatVersion(top);
            return top.get("formatVersion").asText();
        } catch (IOException | RuntimeException e) {
            throw notValidJson(e);
        }
    }

    private static PivotctlException notValidJson(Exception e) {
        PivotctlException limit = UntrustedJson.refusal(DOCUMENT, e);
        return limit != null ? limit : PivotctlException.invalid("manifest.json is not valid JSON: " + ArchiveReader.oneLine(e));
    }

    public static JsonNode tree(byte[] manifestBytes) {
        try {
            JsonNode tree = Json.MAPPER.readTree(manifestBytes);
            if (tree == null || !tree.isObject()) {
                throw PivotctlException.invalid("manifest.json is not a JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw PivotctlException.invalid("manifest.json is not valid JSON: " + ArchiveReader.oneLine(e));
        }
    }

    static void checkFormatVersion(JsonNode tree) {
        JsonNode v = tree.get("formatVersion");
        if (v == null || !v.isTextual()) {
            throw PivotctlException.invalid("manifest.json has no formatVersion: not a pivotctl archive");
        }
        String text = v.asText();
        int dot = text.indexOf('.');
        String major = dot < 0 ? text : text.substring(0, dot);
        if (!major.equals(Integer.toString(Manifest.FORMAT_MAJOR))) {
            throw PivotctlException.invalid("archive format " + Printable.of(text) + " is not supported: pivotctl " + Version.current()
                    + " reads format " + Manifest.FORMAT_MAJOR + ".x; use a pivotctl release that supports format " + Printable.of(major) + ".x");
        }
    }

    /** Every schema violation of the manifest, as "path: message" lines; empty when it conforms. */
    public static List<String> schemaProblems(byte[] manifestBytes) {
        return schemaProblems(() -> new java.io.ByteArrayInputStream(manifestBytes));
    }

    /** The arrays that grow with the fleet, by field: checked one element at a time against their item schema, never held whole. */
    private static final java.util.Map<String, String> LONG_ARRAYS = java.util.Map.of("entries", "entry", "secrets", "secret",
            "pausedByExport", "objectId");
    private static final java.util.Map<String, String> LONG_GRAPH_ARRAYS = java.util.Map.of("edges", "edge", "dangling", "edge");
    /** Arrays of arrays of object ids: each id checked alone, each inner array kept empty in the skeleton. */
    private static final java.util.Set<String> ID_LISTS = java.util.Set.of("levels", "cycles");

    /**
     * As {@link #schemaProblems(byte[])}, streamed: the manifest without its long arrays is checked against the whole
     * schema, and every element of those arrays against its item schema (a fleet's manifest as one JSON tree would be
     * several times the heap). The problems are the same; an element's path is named as in the whole document. What is
     * held at once is bounded: the rest of the document by {@link #SKELETON_BYTES}, one element by {@link #ELEMENT_BYTES}.
     */
    public static List<String> schemaProblems(Source source) {
        CappedList out = new CappedList(MAX_SCHEMA_PROBLEMS);
        HeldBudget skeletonBudget = new HeldBudget(SKELETON_BYTES, HeldBudget.HELD_HEAP_SHARE * 2, "manifest.json outside its entries, secrets and graph");
        try (InputStream in = source.open(); UntrustedJson.Charging p = topLevelObject(in, skeletonBudget, true)) {
            com.fasterxml.jackson.databind.node.ObjectNode skeleton = Json.MAPPER.createObjectNode();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken t = p.nextToken();
                if (LONG_ARRAYS.containsKey(field) && t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    skeleton.putArray(field);
                    checkElements(p, "$." + field, LONG_ARRAYS.get(field), out);
                } else if ("graph".equals(field) && t == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    checkGraph(p, skeleton.putObject(field), out);
                } else {
                    skeleton.set(field, p.readValueAsTree());
                }
            }
            for (ValidationMessage m : schema().validate(skeleton)) {
                out.add("manifest.json " + Printable.of(m.getMessage()));
            }
        } catch (IOException | RuntimeException e) {
            throw notValidJson(e);
        }
        return out.sortedWithOverflow("manifest.json");
    }

    /** Schema problems listed; past these a count stands for the rest (a damaged fleet manifest could yield millions). */
    static final int MAX_SCHEMA_PROBLEMS = 1000;

    /** The first {@code max} problems and how many more there were. */
    private static final class CappedList extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;
        private final int max;
        private long dropped;

        CappedList(int max) {
            this.max = max;
        }

        @Override
        public boolean add(String problem) {
            if (size() >= max) {
                dropped++;
                return false;
            }
            return super.add(problem);
        }

        List<String> sortedWithOverflow(String document) {
            List<String> sorted = new java.util.ArrayList<>(stream().sorted().toList());
            if (dropped > 0) {
                sorted.add(document + " has " + dropped + " more schema problem(s) not listed");
            }
            return List.copyOf(sorted);
        }
    }

    private static void checkGraph(UntrustedJson.Charging p, com.fasterxml.jackson.databind.node.ObjectNode graph, CappedList out) throws IOException {
        while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
            String g = p.currentName();
            com.fasterxml.jackson.core.JsonToken gt = p.nextToken();
            if (LONG_GRAPH_ARRAYS.containsKey(g) && gt == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                graph.putArray(g);
                checkElements(p, "$.graph." + g, LONG_GRAPH_ARRAYS.get(g), out);
            } else if (ID_LISTS.contains(g) && gt == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                com.fasterxml.jackson.databind.node.ArrayNode lists = graph.putArray(g);
                int i = 0;
                while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                    if (p.currentToken() == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                        lists.addArray();
                        checkElements(p, "$.graph." + g + "[" + i + "]", "objectId", out);
                    } else {
                        lists.add(p.<JsonNode>readValueAsTree());
                    }
                    i++;
                }
            } else {
                graph.set(g, p.readValueAsTree());
            }
        }
    }

    /** Each element of the array the parser is in, checked alone and dropped; what one element holds is bounded. */
    private static void checkElements(UntrustedJson.Charging p, String path, String def, CappedList out) throws IOException {
        JsonSchema item = itemSchema(def);
        int i = 0;
        while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
            HeldBudget skeleton = p.chargeTo(new HeldBudget(ELEMENT_BYTES, HeldBudget.HELD_HEAP_SHARE * 2, "one element of " + path.substring(2)));
            JsonNode element;
            try {
                element = p.readValueAsTree();
            } finally {
                p.chargeTo(skeleton);
            }
            for (ValidationMessage m : item.validate(element)) {
                String msg = Printable.of(m.getMessage());
                out.add("manifest.json " + path + "[" + i + "]" + (msg.startsWith("$") ? msg.substring(1) : ": " + msg));
            }
            i++;
        }
    }

    private static final java.util.Map<String, JsonSchema> ITEM_SCHEMAS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The schema of one element of a long array: the document's {@code $defs}, referenced from the root. */
    private static JsonSchema itemSchema(String def) {
        return ITEM_SCHEMAS.computeIfAbsent(def, d -> {
            try (InputStream in = ManifestCodec.class.getResourceAsStream(SCHEMA_RESOURCE)) {
                com.fasterxml.jackson.databind.node.ObjectNode whole = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(in);
                com.fasterxml.jackson.databind.node.ObjectNode one = Json.MAPPER.createObjectNode();
                one.set("$schema", whole.get("$schema"));
                one.put("$id", whole.path("$id").asText().replace(".schema.json", "-" + d + ".schema.json"));
                one.set("$defs", whole.get("$defs"));
                one.put("$ref", "#/$defs/" + d);
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(one);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static JsonSchema schema() {
        if (schema == null) {
            try (InputStream in = ManifestCodec.class.getResourceAsStream(SCHEMA_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("manifest schema missing from the jar");
                }
                schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return schema;
    }

    /** As {@link #write(Manifest)}, streamed: a fleet's manifest is large, and its bytes need not be held at once. */
    public static void write(Manifest manifest, java.io.OutputStream out) throws IOException {
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, manifest);
    }

    public static byte[] write(Manifest manifest) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

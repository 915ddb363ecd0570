package io.pivotctl.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/** Parses and checks manifests: format version first (so a v2 archive gets a clear message), then the schema. */
public final class ManifestCodec {

    private static final String SCHEMA_RESOURCE = "manifest-v1.schema.json";
    private static volatile JsonSchema schema;

    private ManifestCodec() {
    }

    /** Parses the manifest, refusing unknown major versions. Schema problems are not checked here: see {@link #schemaProblems}. */
    public static Manifest parse(byte[] manifestBytes) {
        return parse(() -> new java.io.ByteArrayInputStream(manifestBytes));
    }

    /** Where a manifest can be read from, as many times as needed (it is never held whole: a 5,000-host one is 110 MB). */
    @FunctionalInterface
    public interface Source {
        InputStream open();
    }

    /**
     * Parses the manifest from a stream, refusing unknown major versions first (one pass over the top level, nothing
     * kept), then straight into the records without a JSON tree, sharing equal strings: the ids of the graph repeat the
     * entries', kinds and groups repeat thousands of times, and a fleet's manifest is most of what a read holds.
     */
    public static Manifest parse(Source source) {
        checkFormatVersion(source);
        try (InputStream in = source.open()) {
            return MANIFEST_MAPPER.readerFor(Manifest.class).withAttribute(StringPool.class, new StringPool()).readValue(in);
        } catch (IOException | IllegalArgumentException e) {
            throw PivotctlException.invalid("manifest.json does not match format " + Manifest.FORMAT_VERSION + ": " + ArchiveReader.oneLine(e));
        }
    }

    /** {@link Json#MAPPER} reading strings through the parse's {@link StringPool}. */
    private static final com.fasterxml.jackson.databind.ObjectMapper MANIFEST_MAPPER = Json.MAPPER.copy()
            .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule().addDeserializer(String.class, new SharedStringDeserializer()));

    /** Equal strings of one manifest as one instance; per parse, so nothing outlives it. */
    static final class StringPool extends java.util.HashMap<String, String> {
        private static final long serialVersionUID = 1L;

        String share(String s) {
            if (s == null || s.length() > 256) {
                return s;
            }
            String had = putIfAbsent(s, s);
            return had == null ? s : had;
        }
    }

    /** Strings read through the pool of the current parse (registered on {@link Json#MAPPER} users via {@link #parse(Source)}). */
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

    /** A parser of a streamed manifest, past its opening brace; anything but a JSON object is refused in one line. */
    private static com.fasterxml.jackson.core.JsonParser topLevelObject(InputStream in) throws IOException {
        com.fasterxml.jackson.core.JsonParser p = Json.MAPPER.getFactory().createParser(in);
        p.setCodec(Json.MAPPER);
        if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
            p.close();
            throw PivotctlException.invalid("manifest.json is not a JSON object");
        }
        return p;
    }

    /** The format version check of a streamed manifest: reads only the top level, skipping every value but formatVersion. */
    static void checkFormatVersion(Source source) {
        try (InputStream in = source.open(); com.fasterxml.jackson.core.JsonParser p = topLevelObject(in)) {
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
        } catch (IOException e) {
            throw PivotctlException.invalid("manifest.json is not valid JSON: " + ArchiveReader.oneLine(e));
        }
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
            throw PivotctlException.invalid("archive format " + text + " is not supported: pivotctl " + Version.current()
                    + " reads format " + Manifest.FORMAT_MAJOR + ".x; use a pivotctl release that supports format " + major + ".x");
        }
    }

    /** Every schema violation of the manifest, as "path: message" lines; empty when it conforms. */
    public static List<String> schemaProblems(byte[] manifestBytes) {
        return schemaProblems(() -> new java.io.ByteArrayInputStream(manifestBytes));
    }

    /** The arrays that grow with the fleet: checked one element at a time against their item schema, never held whole. */
    private static final java.util.Map<String, String> LONG_ARRAYS = java.util.Map.of("entries", "entry", "secrets", "secret");
    private static final java.util.Map<String, String> LONG_GRAPH_ARRAYS = java.util.Map.of("edges", "edge", "dangling", "edge");

    /**
     * As {@link #schemaProblems(byte[])}, streamed: the manifest without its long arrays is checked against the whole
     * schema, and every element of those arrays against its item schema (a fleet's manifest as one JSON tree would be
     * several times the heap). The problems are the same; an element's path is named as in the whole document.
     */
    public static List<String> schemaProblems(Source source) {
        List<String> out = new java.util.ArrayList<>();
        try (InputStream in = source.open(); com.fasterxml.jackson.core.JsonParser p = topLevelObject(in)) {
            com.fasterxml.jackson.databind.node.ObjectNode skeleton = Json.MAPPER.createObjectNode();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken t = p.nextToken();
                if (LONG_ARRAYS.containsKey(field) && t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    skeleton.putArray(field);
                    checkElements(p, "$." + field, LONG_ARRAYS.get(field), out);
                } else if ("graph".equals(field) && t == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    com.fasterxml.jackson.databind.node.ObjectNode graph = skeleton.putObject(field);
                    while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                        String g = p.currentName();
                        com.fasterxml.jackson.core.JsonToken gt = p.nextToken();
                        if (LONG_GRAPH_ARRAYS.containsKey(g) && gt == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                            graph.putArray(g);
                            checkElements(p, "$.graph." + g, LONG_GRAPH_ARRAYS.get(g), out);
                        } else {
                            graph.set(g, p.readValueAsTree());
                        }
                    }
                } else {
                    skeleton.set(field, p.readValueAsTree());
                }
            }
            for (ValidationMessage m : schema().validate(skeleton)) {
                out.add("manifest.json " + m.getMessage());
            }
        } catch (IOException e) {
            throw PivotctlException.invalid("manifest.json is not valid JSON: " + ArchiveReader.oneLine(e));
        }
        return out.stream().sorted().toList();
    }

    private static void checkElements(com.fasterxml.jackson.core.JsonParser p, String path, String def, List<String> out) throws IOException {
        JsonSchema item = itemSchema(def);
        int i = 0;
        while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
            JsonNode element = p.readValueAsTree();
            for (ValidationMessage m : item.validate(element)) {
                String msg = m.getMessage();
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

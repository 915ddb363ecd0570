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
        JsonNode tree = tree(manifestBytes);
        checkFormatVersion(tree);
        try {
            return Json.MAPPER.treeToValue(tree, Manifest.class);
        } catch (IOException | IllegalArgumentException e) {
            throw PivotctlException.invalid("manifest.json does not match format " + Manifest.FORMAT_VERSION + ": " + ArchiveReader.oneLine(e));
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
        Set<ValidationMessage> messages = schema().validate(tree(manifestBytes));
        return messages.stream().map(m -> "manifest.json " + m.getMessage()).sorted().toList();
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

package io.pivotctl.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.Printable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Reads and writes {@code summary.json} (formats/pivot-archive-v1.md section 3.8, schema summary-v1.schema.json). A
 * summary is small (the format allows 1 MiB): it is read whole, within the format's limits, and checked against its
 * schema; one that does not conform is refused in one line, since it is what a listing shows without anything else.
 */
public final class SummaryCodec {

    static final String DOCUMENT = EntryPaths.SUMMARY;
    private static final String SCHEMA_RESOURCE = "summary-v1.schema.json";
    private static volatile JsonSchema schema;

    private SummaryCodec() {
    }

    /** The summary in {@code bytes}, what it holds charged to {@code held}; refuses an unknown major version first. */
    public static Summary parse(byte[] bytes, HeldBudget held) {
        if (bytes.length > FormatLimits.MAX_SUMMARY_BYTES) {
            throw PivotctlException.invalid("summary.json is " + bytes.length + " bytes, over the format's limit of " + FormatLimits.MAX_SUMMARY_BYTES);
        }
        JsonNode tree;
        try (InputStream in = new ByteArrayInputStream(bytes); UntrustedJson.Charging p = UntrustedJson.open(in, DOCUMENT, held, true)) {
            tree = p.readValueAsTree();
        } catch (IOException | RuntimeException e) {
            PivotctlException limit = UntrustedJson.refusal(DOCUMENT, e);
            throw limit != null ? limit : PivotctlException.invalid("summary.json is not valid JSON: " + ArchiveReader.oneLine(e));
        }
        if (tree == null || !tree.isObject()) {
            throw PivotctlException.invalid("summary.json is not a JSON object");
        }
        ManifestCodec.checkFormatVersion(tree);
        Set<ValidationMessage> problems = schema().validate(tree);
        if (!problems.isEmpty()) {
            String first = problems.stream().map(ValidationMessage::getMessage).sorted().findFirst().orElseThrow();
            throw PivotctlException.invalid("summary.json does not match the format: " + Printable.of(first)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        }
        try {
            return Json.MAPPER.treeToValue(tree, Summary.class);
        } catch (IOException | IllegalArgumentException e) {
            throw PivotctlException.invalid("summary.json does not match the format: " + ArchiveReader.oneLine(e));
        }
    }

    public static byte[] write(Summary summary) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema schema() {
        if (schema == null) {
            try (InputStream in = SummaryCodec.class.getResourceAsStream(SCHEMA_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("summary schema missing from the jar");
                }
                schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return schema;
    }
}

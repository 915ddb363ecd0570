package io.pivotctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Shared JSON and YAML mappers, configured once so every file pivotctl writes is byte-stable. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * Every string value double-quoted, keys plain only where {@link YamlScalars} allows, and no line
     * folding (a folded value would not be found by grep), so what the server sent reads back unchanged.
     */
    public static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .stringQuotingChecker(YamlScalars.INSTANCE)
                    .build())
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {
    }

    /** A deep copy of {@code node} with object keys sorted, so equal objects serialise to equal bytes. */
    public static JsonNode canonical(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            List<String> names = new ArrayList<>();
            obj.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            ObjectNode out = MAPPER.createObjectNode();
            for (String name : names) {
                out.set(name, canonical(obj.get(name)));
            }
            return out;
        }
        if (node instanceof ArrayNode arr) {
            ArrayNode out = MAPPER.createArrayNode();
            for (Iterator<JsonNode> it = arr.elements(); it.hasNext();) {
                out.add(canonical(it.next()));
            }
            return out;
        }
        return node;
    }

    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static ObjectNode toObjectNode(Map<String, Object> map) {
        return MAPPER.valueToTree(map);
    }

    /** Text at a dotted path (e.g. "spec.bmc.credentialsName"), or null when absent or not text. */
    public static String text(JsonNode node, String dottedPath) {
        JsonNode n = at(node, dottedPath);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    /** The node at a dotted path, or null when any step is absent. */
    public static JsonNode at(JsonNode node, String dottedPath) {
        JsonNode cur = node;
        for (String step : dottedPath.split("\\.")) {
            if (cur == null || !cur.isObject()) {
                return null;
            }
            cur = cur.get(step);
        }
        return cur == null || cur.isNull() || cur.isMissingNode() ? null : cur;
    }
}

package io.pivotctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * "Archived fields must be present in the live object with equal values": fields the server added by
 * defaulting are allowed, anything archived that is missing or different is a difference. Reports
 * paths, never values (they may come from Secrets).
 */
public final class ObjectDiff {

    private ObjectDiff() {
    }

    public static List<String> missingOrDifferent(JsonNode archived, JsonNode live, String path) {
        List<String> out = new ArrayList<>();
        walk(archived, live, path, out);
        return out;
    }

    private static void walk(JsonNode archived, JsonNode live, String path, List<String> out) {
        if (archived == null || archived.isNull()) {
            return;
        }
        if (live == null || live.isMissingNode() || live.isNull()) {
            out.add(path + " is missing");
            return;
        }
        if (archived.isObject()) {
            if (!live.isObject()) {
                out.add(path + " differs");
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = archived.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                walk(e.getValue(), live.get(e.getKey()), path + "." + e.getKey(), out);
            }
        } else if (archived.isArray()) {
            if (!live.isArray() || live.size() != archived.size()) {
                out.add(path + " differs (" + archived.size() + " items archived, " + (live.isArray() ? live.size() : 0) + " live)");
                return;
            }
            for (int i = 0; i < archived.size(); i++) {
                walk(archived.get(i), live.get(i), path + "[" + i + "]", out);
            }
        } else if (archived.isNumber() && live.isNumber()) {
            if (archived.decimalValue().compareTo(live.decimalValue()) != 0) {
                out.add(path + " differs");
            }
        } else if (!archived.equals(live)) {
            out.add(path + " differs");
        }
    }
}

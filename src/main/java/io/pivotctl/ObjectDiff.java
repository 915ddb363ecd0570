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

    /**
     * Exact comparison both ways: every field missing on either side, every changed type ("text in the
     * source, number in the archive") and every changed value, by path. Numbers compare by value, so an
     * int read back as a long is equal. Never prints a value.
     */
    public static List<String> exactDifferences(JsonNode expected, JsonNode actual, String path) {
        List<String> out = new ArrayList<>();
        exact(expected, actual, path, out);
        return out;
    }

    private static void exact(JsonNode expected, JsonNode actual, String path, List<String> out) {
        if (actual == null || actual.isMissingNode()) {
            out.add(path + " is missing");
            return;
        }
        if (!expected.getNodeType().equals(actual.getNodeType())) {
            out.add(path + " is " + typeName(expected) + " in the source, " + typeName(actual) + " when read back");
            return;
        }
        if (expected.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                exact(e.getValue(), actual.get(e.getKey()), path + "." + e.getKey(), out);
            }
            for (Iterator<String> it = actual.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (!expected.has(name)) {
                    out.add(path + "." + name + " appears only when read back");
                }
            }
        } else if (expected.isArray()) {
            if (expected.size() != actual.size()) {
                out.add(path + " has " + expected.size() + " items in the source, " + actual.size() + " when read back");
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                exact(expected.get(i), actual.get(i), path + "[" + i + "]", out);
            }
        } else if (expected.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                out.add(path + " has another value when read back");
            }
        } else if (!expected.equals(actual)) {
            out.add(path + " has another value when read back");
        }
    }

    private static String typeName(JsonNode n) {
        return switch (n.getNodeType()) {
            case STRING -> "text";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case OBJECT -> "an object";
            case ARRAY -> "a list";
            default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
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

package io.pivotctl.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** The paths of the leaves that differ between two trees; never a value. Numbers compare by value (1 and 1.0 are equal). */
final class FieldPaths {

    /** More changed paths than this in one object are summarised: a rewritten status is one line, not thousands. */
    static final int MAX_PATHS = 50;

    private FieldPaths() {
    }

    static List<String> changed(JsonNode a, JsonNode b, String path) {
        TreeSet<String> out = new TreeSet<>();
        walk(a, b, path, out);
        return List.copyOf(out);
    }

    private static void walk(JsonNode a, JsonNode b, String path, TreeSet<String> out) {
        boolean aMissing = a == null || a.isMissingNode() || a.isNull();
        boolean bMissing = b == null || b.isMissingNode() || b.isNull();
        if (aMissing && bMissing || (!aMissing && !bMissing && same(a, b))) {
            return;
        }
        if (!aMissing && !bMissing && a.isObject() && b.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                walk(a.get(n), b.get(n), path.isEmpty() ? n : path + "." + n, out);
            }
        } else if (!aMissing && !bMissing && a.isArray() && b.isArray() && a.size() == b.size()) {
            Iterator<JsonNode> ai = a.elements();
            Iterator<JsonNode> bi = b.elements();
            for (int i = 0; ai.hasNext(); i++) {
                walk(ai.next(), bi.next(), path + "[" + i + "]", out);
            }
        } else {
            out.add(path);
        }
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }
}

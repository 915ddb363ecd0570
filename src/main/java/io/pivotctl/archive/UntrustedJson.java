package io.pivotctl.archive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.Printable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads JSON from an archive (the manifest, the summary) within the format's limits ({@link FormatLimits}): every
 * string, key, number and nesting level is checked by the parser as it grows, before more is allocated; every array's
 * length as each element starts; and what the parse will keep is charged to a {@link HeldBudget} token by token, before
 * the value is built. A breach is one line naming the limit (exit 3).
 */
final class UntrustedJson {

    /** Field names are not interned: a hostile document could fill the shared symbol table with unique keys. */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(FormatLimits.MAX_STRING)
                    .maxNameLength(FormatLimits.MAX_STRING)
                    .maxNestingDepth(FormatLimits.MAX_DEPTH)
                    .maxNumberLength(FormatLimits.MAX_NUMBER)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    /**
     * What a parse keeps, as measured on fleet manifests (the charge stays just above the retained heap): an object (a
     * record of the manifest with its fields, present or not), a list (its array and the copy a record keeps), one
     * element slot of a list, and a string instance beyond its characters (object and array headers).
     */
    static final int OBJECT_COST = 56;
    static final int ARRAY_COST = 40;
    static final int SLOT_COST = 4;
    static final int STRING_COST = 40;

    private UntrustedJson() {
    }

    /**
     * A parser over {@code in} for {@code document} ("manifest.json"): limits enforced as read, structure charged to
     * {@code held}; with {@code chargeText} strings and keys too (for a JSON tree; record parses charge the strings they
     * keep themselves, once per distinct string).
     */
    static Charging open(InputStream in, String document, HeldBudget held, boolean chargeText) throws IOException {
        return open(in, document, held, chargeText, FormatLimits.MAX_ELEMENTS);
    }

    /** As above, with at most {@code maxListed} elements in {@code entries} and {@code secrets} (an archive's entry limit). */
    static Charging open(InputStream in, String document, HeldBudget held, boolean chargeText, int maxListed) throws IOException {
        JsonParser p = FACTORY.createParser(in);
        p.setCodec(Json.MAPPER);
        return new Charging(p, document, held, chargeText, Math.min(maxListed, FormatLimits.MAX_ELEMENTS));
    }

    /** The one-line refusal a limit breach found anywhere in {@code t}'s causes becomes, or null when there is none. */
    static PivotctlException refusal(String document, Throwable t) {
        for (Throwable cur = t; cur != null; cur = cur.getCause()) {
            if (cur instanceof PivotctlException pe) {
                return pe;
            }
            if (cur instanceof StreamConstraintsException sce) {
                return PivotctlException.invalid(document + " " + breach(sce.getMessage()) + " (the format's limit)");
            }
            String m = cur.getMessage();
            if (m != null && m.startsWith("Duplicate ")) {
                return PivotctlException.invalid(document + " has a key twice in one object: " + Printable.of(firstLine(m)));
            }
        }
        return null;
    }

    private static String breach(String message) {
        String m = message == null ? "" : message;
        if (m.contains("getMaxStringLength") || m.contains("getMaxNameLength")) {
            return "has a string or key of more than " + FormatLimits.MAX_STRING + " characters";
        }
        if (m.contains("getMaxNestingDepth")) {
            return "is nested more than " + FormatLimits.MAX_DEPTH + " levels deep";
        }
        if (m.contains("getMaxNumberLength")) {
            return "has a number of more than " + FormatLimits.MAX_NUMBER + " characters";
        }
        return "is over a parser limit: " + Printable.of(firstLine(m));
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Counts array elements and charges what will be built, token by token, before the caller builds it. */
    static final class Charging extends JsonParserDelegate {
        private final String document;
        private HeldBudget held;
        private final boolean chargeText;
        private final int maxListed;

        Charging(JsonParser p, String document, HeldBudget held, boolean chargeText, int maxListed) {
            super(p);
            this.document = document;
            this.held = held;
            this.chargeText = chargeText;
            this.maxListed = maxListed;
        }

        /** Charges what follows to {@code budget} instead (a transient one, for one element); returns the previous one. */
        HeldBudget chargeTo(HeldBudget budget) {
            HeldBudget previous = held;
            held = budget;
            return previous;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken t = delegate.nextToken();
            if (t != null) {
                account(t);
            }
            return t;
        }

        @Override
        public JsonToken nextValue() throws IOException {
            JsonToken t = nextToken();
            return t == JsonToken.FIELD_NAME ? nextToken() : t;
        }

        private void account(JsonToken t) throws IOException {
            if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                return;
            }
            if (t == JsonToken.FIELD_NAME) {
                if (chargeText) {
                    held.add(STRING_COST + delegate.currentName().length());
                }
                return;
            }
            boolean container = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY;
            JsonStreamContext holder = container ? delegate.getParsingContext().getParent() : delegate.getParsingContext();
            boolean element = holder != null && holder.inArray();
            if (element) {
                checkLength(holder);
            }
            if (t == JsonToken.START_OBJECT) {
                held.add(OBJECT_COST);
            } else if (t == JsonToken.START_ARRAY) {
                held.add(ARRAY_COST);
            } else {
                // a field lives inside its record (counted with it); an element takes a slot of its list
                held.add((element ? SLOT_COST : 0) + (chargeText && t == JsonToken.VALUE_STRING ? STRING_COST + delegate.getTextLength() : 0));
            }
        }

        private void checkLength(JsonStreamContext array) {
            String name = array.getParent() == null ? null : array.getParent().getCurrentName();
            boolean listed = "entries".equals(name) || "secrets".equals(name);
            int limit = "edges".equals(name) || "dangling".equals(name) ? FormatLimits.MAX_EDGES : listed ? maxListed : FormatLimits.MAX_ELEMENTS;
            if (array.getEntryCount() > limit) {
                throw PivotctlException.invalid(document + " has more than " + limit + " elements in '" + Printable.of(name == null ? "[]" : name)
                        + "' (" + (limit < FormatLimits.MAX_ELEMENTS ? "the limit of entries in an archive" : "the format's limit") + ")");
            }
        }
    }
}

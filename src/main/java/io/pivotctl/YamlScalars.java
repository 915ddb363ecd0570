package io.pivotctl;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The archive's scalar rule (formats/pivot-archive-v1.md section 2.1). Every string value is written
 * double-quoted, so no reader can take it for a number, boolean, null, date or base-60 integer (Ironic's
 * hex WWNs, all-digit MACs and "1.10" firmware versions must come back as the strings the server sent).
 * Mapping keys stay plain only when they cannot be read as anything but a string under YAML 1.1 or
 * 1.2: a letter first, then letters, digits and {@code _ . / -}, and not one of the 1.1 boolean or null
 * words. This class decides keys; values are quoted by the mapper configuration in {@link Json}.
 */
public final class YamlScalars extends StringQuotingChecker {

    private static final long serialVersionUID = 1L;
    private static final Pattern PLAIN_SAFE = Pattern.compile("[A-Za-z][A-Za-z0-9_./-]*");
    /** YAML 1.1 booleans and nulls (1.2 is a subset), compared lower-case. */
    private static final Set<String> RESERVED = Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null");

    public static final YamlScalars INSTANCE = new YamlScalars();

    /** True when {@code s} reads back as the same string when written plain, under YAML 1.1 and 1.2. */
    public static boolean plainSafe(String s) {
        return PLAIN_SAFE.matcher(s).matches() && !RESERVED.contains(s.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean needToQuoteName(String name) {
        return !plainSafe(name);
    }

    @Override
    public boolean needToQuoteValue(String value) {
        return true; // only consulted with MINIMIZE_QUOTES, which Json leaves off; kept true so enabling it changes nothing
    }
}

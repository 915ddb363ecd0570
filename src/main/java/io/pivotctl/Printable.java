package io.pivotctl;

/**
 * The one way pivotctl quotes untrusted text (an archive's entry names, header keys, lease fields, work
 * factors) in an error or problem: control characters become {@code ?} and anything past {@link #MAX}
 * characters is cut. It reads only the first {@link #MAX} characters, so a 1 GiB name costs no more than a
 * short one, and a kept problem never holds more than this.
 */
public final class Printable {

    /** The longest quoted text, in characters; the cut adds "...". */
    public static final int MAX = 200;

    private Printable() {
    }

    public static String of(String s) {
        if (s == null) {
            return "";
        }
        int n = Math.min(s.length(), MAX);
        StringBuilder b = new StringBuilder(n + 3);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (s.length() > MAX) {
            b.append("...");
        }
        return b.toString();
    }
}

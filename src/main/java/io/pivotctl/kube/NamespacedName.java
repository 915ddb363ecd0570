package io.pivotctl.kube;

/** "NS/NAME" as the command line writes an object in a namespace; the one parser for it. */
public record NamespacedName(String namespace, String name) {

    /** Parses "NS/NAME"; both parts non-empty, no further slash. */
    public static NamespacedName parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("wants NS/NAME (a namespace, a slash, a name), got '" + text + "'");
        }
        return new NamespacedName(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}

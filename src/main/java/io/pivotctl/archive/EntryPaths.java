package io.pivotctl.archive;

import io.pivotctl.graph.ObjectId;

/** The archive layout of formats/pivot-archive-v1.md section 2, and the textual object id of section 3.4. */
public final class EntryPaths {

    public static final String SUMMARY = "summary.json";
    public static final String MANIFEST = "manifest.json";
    public static final String SIGNATURE = "manifest.json.sig";
    public static final String ARCHIVE_IDENTITY = "keys/archive-identity.age";
    public static final String LEASES = "leases/dnsmasq.leases";
    static final String CORE = "core";
    static final String CLUSTER_SCOPE = "_cluster";

    private EntryPaths() {
    }

    public static String object(String group, String version, String kind, String namespace, String name) {
        return "objects/" + (group.isEmpty() ? CORE : group) + "/" + version + "/" + kind + "/"
                + (namespace.isEmpty() ? CLUSTER_SCOPE : namespace) + "/" + name + ".yaml";
    }

    public static String secret(String namespace, String name) {
        return "secrets/" + namespace + "/" + name + ".yaml.age";
    }

    public static String crd(String crdName) {
        return "crds/" + crdName + ".yaml";
    }

    /** "&lt;group or core&gt;/&lt;kind&gt;/&lt;namespace or _cluster&gt;/&lt;name&gt;". */
    public static String id(ObjectId id) {
        return (id.group().isEmpty() ? CORE : id.group()) + "/" + id.kind() + "/"
                + (id.namespace().isEmpty() ? CLUSTER_SCOPE : id.namespace()) + "/" + id.name();
    }

    public static ObjectId parseId(String text) {
        String[] p = text.split("/", -1);
        if (p.length != 4 || p[1].isEmpty() || p[3].isEmpty()) {
            throw new IllegalArgumentException("not an object id: " + text);
        }
        return new ObjectId(CORE.equals(p[0]) ? "" : p[0], p[1], CLUSTER_SCOPE.equals(p[2]) ? "" : p[2], p[3]);
    }

    /** The entry's object identity; missing fields (a damaged manifest, reported by the schema check) read as "". */
    public static ObjectId idOf(Manifest.Entry entry) {
        return new ObjectId(nz(entry.group()), nz(entry.kind()), nz(entry.namespace()), nz(entry.name()));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

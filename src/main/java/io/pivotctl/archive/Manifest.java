package io.pivotctl.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pivotctl.kube.GroupVersionKind;
import java.util.List;
import java.util.Map;

/**
 * The manifest of a pivotctl archive (formats/pivot-archive-v1.md, section 3). Immutable; readers
 * ignore unknown fields so minor format versions can add some. Built by name with {@link #builder()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
        String formatVersion,
        Tool tool,
        String createdAt,
        String archiveId,
        Source source,
        Selection selection,
        Encryption encryption,
        List<Entry> entries,
        List<SecretInfo> secrets,
        GraphInfo graph,
        LeasesInfo leases,
        Map<String, String> listResourceVersions,
        List<String> pausedByExport,
        List<String> warnings,
        List<LeftOut> leftOut,
        List<Rekey> rekeys) {

    /** What this pivotctl writes; it reads every 1.x up to this one (section 7). */
    public static final String FORMAT_VERSION = "1.1";
    public static final int FORMAT_MAJOR = 1;

    public Manifest {
        entries = entries == null ? List.of() : List.copyOf(entries);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        listResourceVersions = listResourceVersions == null ? Map.of() : Map.copyOf(listResourceVersions);
        pausedByExport = pausedByExport == null ? List.of() : List.copyOf(pausedByExport);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        leftOut = leftOut == null ? List.of() : List.copyOf(leftOut);
        rekeys = rekeys == null || rekeys.isEmpty() ? null : List.copyOf(rekeys);
    }

    public Manifest withEntries(List<Entry> newEntries) {
        return toBuilder().entries(newEntries).build();
    }

    /** The same archive's manifest describing only these entries, Secrets and graph (a part of the archive, as import --cluster takes it). */
    public Manifest withContents(List<Entry> newEntries, List<SecretInfo> newSecrets, GraphInfo newGraph) {
        return toBuilder().entries(newEntries).secrets(newSecrets).graph(newGraph).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().formatVersion(formatVersion).tool(tool).createdAt(createdAt).archiveId(archiveId).source(source)
                .selection(selection).encryption(encryption).entries(entries).secrets(secrets).graph(graph).leases(leases)
                .listResourceVersions(listResourceVersions).pausedByExport(pausedByExport).warnings(warnings).leftOut(leftOut).rekeys(rekeys);
    }

    /** A manifest by field name; what is not set is absent (lists and maps empty), the format version this pivotctl's. */
    public static final class Builder {
        private String formatVersion = FORMAT_VERSION;
        private Tool tool;
        private String createdAt;
        private String archiveId;
        private Source source;
        private Selection selection;
        private Encryption encryption;
        private List<Entry> entries;
        private List<SecretInfo> secrets;
        private GraphInfo graph;
        private LeasesInfo leases;
        private Map<String, String> listResourceVersions;
        private List<String> pausedByExport;
        private List<String> warnings;
        private List<LeftOut> leftOut;
        private List<Rekey> rekeys;

        private Builder() {
        }

        public Builder formatVersion(String v) {
            this.formatVersion = v;
            return this;
        }

        public Builder tool(Tool v) {
            this.tool = v;
            return this;
        }

        public Builder createdAt(String v) {
            this.createdAt = v;
            return this;
        }

        public Builder archiveId(String v) {
            this.archiveId = v;
            return this;
        }

        public Builder source(Source v) {
            this.source = v;
            return this;
        }

        public Builder selection(Selection v) {
            this.selection = v;
            return this;
        }

        public Builder encryption(Encryption v) {
            this.encryption = v;
            return this;
        }

        public Builder entries(List<Entry> v) {
            this.entries = v;
            return this;
        }

        public Builder secrets(List<SecretInfo> v) {
            this.secrets = v;
            return this;
        }

        public Builder graph(GraphInfo v) {
            this.graph = v;
            return this;
        }

        public Builder leases(LeasesInfo v) {
            this.leases = v;
            return this;
        }

        public Builder listResourceVersions(Map<String, String> v) {
            this.listResourceVersions = v;
            return this;
        }

        public Builder pausedByExport(List<String> v) {
            this.pausedByExport = v;
            return this;
        }

        public Builder warnings(List<String> v) {
            this.warnings = v;
            return this;
        }

        public Builder leftOut(List<LeftOut> v) {
            this.leftOut = v;
            return this;
        }

        public Builder rekeys(List<Rekey> v) {
            this.rekeys = v;
            return this;
        }

        public Manifest build() {
            return new Manifest(formatVersion, tool, createdAt, archiveId, source, selection, encryption, entries, secrets, graph, leases,
                    listResourceVersions, pausedByExport, warnings, leftOut, rekeys);
        }
    }

    /**
     * Objects the export saw but did not archive, grouped by reason. {@code objects} names them (object ids
     * of section 3.4), except for Secrets and ConfigMaps, which are only counted: the archive must not list
     * every Secret of the source.
     */
    public record LeftOut(String kind, String reason, int count, List<String> objects) {
        public LeftOut {
            objects = objects == null ? List.of() : List.copyOf(objects);
        }

        /** "1 Machine being deleted", "2 Secrets not referenced by an exported object". */
        public String describe() {
            boolean plural = count != 1 && !kind.endsWith("s") && !kind.endsWith("Data");
            return count + " " + kind + (plural ? "s" : "") + " " + reason;
        }
    }

    public record Tool(String name, String version) {
    }

    /**
     * One re-encryption of the archive's Secrets (section 4, Rekey): when, by which pivotctl, and the recipients before
     * and after, named by their age public keys (a passphrase's archive identity labelled {@code archive-identity}).
     */
    public record Rekey(String rekeyedAt, Tool tool, List<Recipient> from, List<Recipient> to, boolean passphrase) {
        public Rekey {
            from = from == null ? List.of() : List.copyOf(from);
            to = to == null ? List.of() : List.copyOf(to);
        }
    }

    /** The rekeys recorded, oldest first; empty when the Secrets are still encrypted as exported. */
    public List<Rekey> rekeyHistory() {
        return rekeys == null ? List.of() : rekeys;
    }

    public record Source(String server, String clusterId, String serverVersion) {
    }

    public record Selection(List<String> namespaces, boolean allNamespaces, List<String> clusters) {
        public Selection {
            namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
            clusters = clusters == null ? List.of() : List.copyOf(clusters);
        }
    }

    public record Encryption(String scheme, List<Recipient> recipients, boolean passphrase) {
        public static final String AGE_V1 = "age-v1";

        public Encryption {
            recipients = recipients == null ? List.of() : List.copyOf(recipients);
        }
    }

    public record Recipient(String publicKey, String label) {
    }

    /** One archive entry; {@code size} and {@code sha256} describe the stored bytes (ciphertext when encrypted). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String path, String role, String group, String version, String kind, String resource,
            String namespace, String name, long size, String sha256, boolean encrypted, boolean hasStatus) {

        public static final String OBJECT = "object";
        public static final String SECRET = "secret";
        public static final String CRD = "crd";
        public static final String LEASES = "leases";
        public static final String KEY = "key";

        /** An object entry, named by its kind and place; size and digest are filled in by the writer ({@link #withDigest}). */
        public static Entry object(ResourceKind kind, String namespace, String name, boolean hasStatus) {
            return new Entry(EntryPaths.object(kind.group(), kind.version(), kind.kind(), namespace, name), OBJECT, kind.group(), kind.version(),
                    kind.kind(), kind.resource(), namespace, name, 0, null, false, hasStatus);
        }

        /** A Secret's entry: the whole object, encrypted with age. */
        public static Entry secret(String namespace, String name) {
            return new Entry(EntryPaths.secret(namespace, name), SECRET, "", "v1", "Secret", "secrets", namespace, name, 0, null, true, false);
        }

        /** A CustomResourceDefinition's entry, by the CRD's name (plural.group). */
        public static Entry crd(String crdName) {
            return new Entry(EntryPaths.crd(crdName), CRD, "apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
                    "", crdName, 0, null, false, false);
        }

        /** The dnsmasq lease file's entry. */
        public static Entry leases() {
            return new Entry(EntryPaths.LEASES, LEASES, null, null, null, null, null, null, 0, null, false, false);
        }

        /** The passphrase-sealed archive identity's entry (passphrase mode). */
        public static Entry archiveIdentity() {
            return new Entry(EntryPaths.ARCHIVE_IDENTITY, KEY, null, null, null, null, null, null, 0, null, true, false);
        }

        /** Group, version, kind and resource (plural) of an object entry. */
        public record ResourceKind(String group, String version, String kind, String resource) {
        }

        public Entry withDigest(long newSize, String newSha256) {
            return new Entry(path, role, group, version, kind, resource, namespace, name, newSize, newSha256, encrypted, hasStatus);
        }

        /** The key under which discovery answers for this entry's kind are kept. */
        public GroupVersionKind gvk() {
            return new GroupVersionKind(group, version, kind);
        }

        public boolean isObject() {
            return OBJECT.equals(role) || SECRET.equals(role);
        }
    }

    /** Non-sensitive metadata of an encrypted Secret: never a value. */
    public record SecretInfo(String namespace, String name, String type, Map<String, String> labels,
            Map<String, String> annotations, List<OwnerRef> ownerReferences, List<String> dataKeys, String path) {
        public SecretInfo {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
            ownerReferences = ownerReferences == null ? List.of() : List.copyOf(ownerReferences);
            dataKeys = dataKeys == null ? List.of() : List.copyOf(dataKeys);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OwnerRef(String apiVersion, String kind, String name, String uid, Boolean controller) {
    }

    public record GraphInfo(List<GraphEdge> edges, List<List<String>> levels, List<List<String>> cycles, List<GraphEdge> dangling) {
        public GraphInfo {
            edges = edges == null ? List.of() : List.copyOf(edges);
            levels = levels == null ? List.of() : levels.stream().map(List::copyOf).toList();
            cycles = cycles == null ? List.of() : cycles.stream().map(List::copyOf).toList();
            dangling = dangling == null ? List.of() : List.copyOf(dangling);
        }

        /** The restore level of each object id (section 3.4): owners have lower levels than their dependents. */
        public Map<String, Integer> levelOf() {
            Map<String, Integer> out = new java.util.HashMap<>();
            for (int i = 0; i < levels.size(); i++) {
                for (String id : levels.get(i)) {
                    out.put(id, i);
                }
            }
            return out;
        }
    }

    public record GraphEdge(String from, String to, String type, String field, boolean controller) {
    }

    public record LeasesInfo(String path, int count, String sha256, String source) {
    }
}

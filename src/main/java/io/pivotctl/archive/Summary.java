package io.pivotctl.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code summary.json}, the first entry of a format 1.1 archive (formats/pivot-archive-v1.md section 3.8): what
 * {@code backups list} and {@code inspect} without {@code --full} show, in a few KB at the object's beginning, and the
 * manifest's size and SHA-256. Built only by {@link #describe}: from a manifest when an archive is written, and from
 * what a reader found to check that the archive agrees with it. {@code signature} is the scheme of
 * {@code manifest.json.sig} ({@link #SIGNED}), null when unsigned.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Summary(String formatVersion, String archiveId, String createdAt, Manifest.Tool tool, Manifest.Source source,
        Manifest.Selection selection, Manifest.Encryption encryption, String signature, ManifestDigest manifest, Contents contents) {

    /** The signature scheme of format 1.1: Ed25519 over the manifest's SHA-256 (section 4.1). */
    public static final String SIGNED = "ed25519-sha256";

    /** The size and lower-case hex SHA-256 of {@code manifest.json}'s bytes. */
    public record ManifestDigest(long size, String sha256) {
    }

    /**
     * What the archive holds, counted from the manifest (objects and Secrets by entry, hosts are BareMetalHost entries,
     * clusters the Cluster entries as namespace/name) and, for {@code hostsPerState}, from the hosts' objects
     * ({@code status.provisioning.state}; null when unknown: a 1.0 archive read by its manifest alone).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Contents(int objects, int secrets, int hosts, Integer leases, Map<String, Integer> objectsPerKind,
            Map<String, Integer> hostsPerState, List<String> clusters, List<LeftOutCount> leftOut) {
        public Contents {
            objectsPerKind = objectsPerKind == null ? Map.of() : Map.copyOf(new TreeMap<>(objectsPerKind));
            hostsPerState = hostsPerState == null ? null : Map.copyOf(new TreeMap<>(hostsPerState));
            clusters = clusters == null ? List.of() : List.copyOf(clusters);
            leftOut = leftOut == null ? List.of() : List.copyOf(leftOut);
        }

        /** The same contents with the host states given (known once the hosts' objects are read). */
        public Contents withHostsPerState(Map<String, Integer> states) {
            return new Contents(objects, secrets, hosts, leases, objectsPerKind, states, clusters, leftOut);
        }
    }

    /** One line of the manifest's {@code leftOut}, counted, without the objects' names. */
    public record LeftOutCount(String kind, String reason, int count) {
    }

    /** The manifest's fields a summary repeats, in one value: the manifest itself, or what a streamed read of one found. */
    public record Header(String formatVersion, String archiveId, String createdAt, Manifest.Tool tool, Manifest.Source source,
            Manifest.Selection selection, Manifest.Encryption encryption) {

        public static Header of(Manifest m) {
            return new Header(m.formatVersion(), m.archiveId(), m.createdAt(), m.tool(), m.source(), m.selection(), m.encryption());
        }
    }

    /** A summary of what {@code header} and {@code contents} describe, with the manifest's digest and signature scheme. */
    public static Summary describe(Header header, Contents contents, ManifestDigest manifest, String signature) {
        return new Summary(header.formatVersion(), header.archiveId(), header.createdAt(), header.tool(), header.source(),
                header.selection(), header.encryption(), signature, manifest, contents);
    }

    /**
     * Every field where this summary (as read) and {@code found} (as the archive's manifest and objects say) differ,
     * named by its JSON path: empty when they agree.
     */
    public List<String> contradictions(Summary found) {
        List<String> out = new ArrayList<>();
        compare(out, "formatVersion", formatVersion, found.formatVersion);
        compare(out, "archiveId", archiveId, found.archiveId);
        compare(out, "createdAt", createdAt, found.createdAt);
        compare(out, "tool", tool, found.tool);
        compare(out, "source", source, found.source);
        compare(out, "selection", selection, found.selection);
        compare(out, "encryption", encryption, found.encryption);
        compare(out, "signature", signature, found.signature);
        compare(out, "manifest.size", manifest == null ? null : manifest.size(), found.manifest.size());
        compare(out, "manifest.sha256", manifest == null ? null : manifest.sha256(), found.manifest.sha256());
        Contents c = contents == null ? new Contents(0, 0, 0, null, null, null, null, null) : contents;
        Contents f = found.contents;
        compare(out, "contents.objects", c.objects(), f.objects());
        compare(out, "contents.secrets", c.secrets(), f.secrets());
        compare(out, "contents.hosts", c.hosts(), f.hosts());
        compare(out, "contents.leases", c.leases(), f.leases());
        compare(out, "contents.objectsPerKind", c.objectsPerKind(), f.objectsPerKind());
        compare(out, "contents.hostsPerState", c.hostsPerState(), f.hostsPerState());
        compare(out, "contents.clusters", c.clusters(), f.clusters());
        compare(out, "contents.leftOut", c.leftOut(), f.leftOut());
        return out;
    }

    private static void compare(List<String> out, String field, Object summary, Object found) {
        if (!Objects.equals(summary, found)) {
            out.add(field);
        }
    }

    /** The provisioning state a host's object reports, as counted in {@code hostsPerState}: "none" when it has none yet. */
    public static String hostState(JsonNode bmh) {
        String state = bmh.path("status").path("provisioning").path("state").asText("");
        return state.isEmpty() ? "none" : state;
    }

    /** Counts a manifest's entries (and hosts' states) into {@link Contents}, one at a time: a fleet's are never held. */
    public static final class Tally {
        /** What one kept name costs beyond its characters: the string, its map or set node. */
        private static final int KEPT = 96;
        private int objects;
        private int secrets;
        private int hosts;
        private final Map<String, Integer> perKind = new TreeMap<>();
        private final Map<String, Integer> states = new TreeMap<>();
        private final TreeSet<String> clusters = new TreeSet<>();
        private final List<LeftOutCount> leftOut = new ArrayList<>();
        private Integer leases;
        private final HeldBudget held;

        /** A tally that charges what it keeps (kind names, states, cluster names) to {@code held}. */
        public Tally(HeldBudget held) {
            this.held = held;
        }

        /** A tally of every entry and left-out line of {@code m} (already held), hosts' states not yet counted. */
        public static Tally of(Manifest m) {
            Tally t = new Tally(HeldBudget.unbounded("a summary"));
            m.entries().forEach(t::entry);
            m.leftOut().forEach(l -> t.leftOut(new LeftOutCount(l.kind(), l.reason(), l.count())));
            t.leases(m.leases() == null ? null : m.leases().count());
            return t;
        }

        public void entry(Manifest.Entry e) {
            if (!e.isObject()) {
                return;
            }
            objects++;
            if (Manifest.Entry.SECRET.equals(e.role())) {
                secrets++;
            }
            String group = e.group() == null ? "" : e.group();
            count(perKind, group.isEmpty() ? e.kind() : e.kind() + "." + group);
            if ("BareMetalHost".equals(e.kind()) && "metal3.io".equals(group)) {
                hosts++;
            }
            if ("Cluster".equals(e.kind()) && "cluster.x-k8s.io".equals(group)) {
                String id = e.namespace() + "/" + e.name();
                if (clusters.add(id)) {
                    held.add(KEPT + id.length());
                }
            }
        }

        public void hostState(String state) {
            count(states, state);
        }

        public void leftOut(LeftOutCount line) {
            held.add(KEPT + String.valueOf(line.kind()).length() + String.valueOf(line.reason()).length());
            leftOut.add(line);
        }

        private void count(Map<String, Integer> counts, String key) {
            if (counts.merge(key, 1, Integer::sum) == 1) {
                held.add(KEPT + String.valueOf(key).length());
            }
        }

        public void leases(Integer count) {
            leases = count;
        }

        /** What was counted; {@code withStates} false leaves the host states unknown (null). */
        public Contents contents(boolean withStates) {
            return new Contents(objects, secrets, hosts, leases, perKind, withStates ? states : null, List.copyOf(clusters), leftOut);
        }
    }
}

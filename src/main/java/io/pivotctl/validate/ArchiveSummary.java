package io.pivotctl.validate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.Summary;
import io.pivotctl.storage.ArchiveHead;
import io.pivotctl.vocabulary.ClusterApi;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code inspect} shows: the archive's summary (summary.json, or computed from the manifest), and, when the
 * objects were read ({@code hostsRead}), the hosts grouped by cluster, the left-out objects by name and the ClusterClasses
 * with the Clusters that use them. Built by
 * {@link #ofHead} (the beginning of an archive in object storage) or {@link #of} (a whole archive read).
 */
public record ArchiveSummary(Summary summary, List<ClusterHosts> clusters, List<Host> unclaimedHosts, boolean hostsRead,
        List<Manifest.LeftOut> leftOut, List<ClassUse> clusterClasses) {

    public record Host(String name, String provisioningState, boolean poweredOn, String bootMACAddress, String consumer) {
    }

    public record ClusterHosts(String cluster, List<Host> hosts) {
    }

    /** From the archive's beginning alone: counts per kind and hosts per state, no hosts by name, left-out objects only counted. */
    public static ArchiveSummary ofHead(ArchiveHead head) {
        Summary s = head.summary();
        List<Manifest.LeftOut> leftOut = s.contents().leftOut().stream().map(l -> new Manifest.LeftOut(l.kind(), l.reason(), l.count(), List.of())).toList();
        return new ArchiveSummary(s, List.of(), List.of(), false, leftOut, List.of());
    }

    /** From a whole archive read: every host with its state, grouped by the Cluster it is labelled for. */
    public static ArchiveSummary of(LoadedArchive archive) {
        Map<String, List<Host>> byCluster = new TreeMap<>();
        List<Host> unclaimed = new ArrayList<>();
        for (ArchivedObject o : archive.objects()) {
            if (!"metal3.io".equals(o.id().group()) || !"BareMetalHost".equals(o.id().kind())) {
                continue;
            }
            JsonNode obj = o.object();
            JsonNode consumer = obj.path("spec").path("consumerRef");
            Host h = new Host(o.id().namespace() + "/" + o.id().name(), obj.path("status").path("provisioning").path("state").asText("unknown"),
                    obj.path("status").path("poweredOn").asBoolean(false), obj.path("spec").path("bootMACAddress").asText(null),
                    consumer.isMissingNode() ? null : consumer.path("kind").asText() + " " + consumer.path("name").asText());
            String cluster = obj.path("metadata").path("labels").path(ClusterApi.CLUSTER_NAME).asText(null);
            if (cluster == null) {
                unclaimed.add(h);
            } else {
                byCluster.computeIfAbsent(o.id().namespace() + "/" + cluster, k -> new ArrayList<>()).add(h);
            }
        }
        List<ClusterHosts> clusters = new ArrayList<>();
        byCluster.forEach((c, hosts) -> {
            hosts.sort(Comparator.comparing(Host::name));
            clusters.add(new ClusterHosts(c, List.copyOf(hosts)));
        });
        unclaimed.sort(Comparator.comparing(Host::name));
        return new ArchiveSummary(archive.summary(), clusters, unclaimed, true, archive.manifest().leftOut(), ClassUse.of(archive.manifest()));
    }

    // the top-level fields of inspect -o json before the summary existed, kept for scripts that read them

    @JsonProperty("formatVersion")
    public String formatVersion() {
        return summary.formatVersion();
    }

    @JsonProperty("archiveId")
    public String archiveId() {
        return summary.archiveId();
    }

    @JsonProperty("createdAt")
    public String createdAt() {
        return summary.createdAt();
    }

    @JsonProperty("source")
    public Manifest.Source source() {
        return summary.source();
    }

    @JsonProperty("recipients")
    public List<Manifest.Recipient> recipients() {
        return summary.encryption().recipients();
    }

    @JsonProperty("passphrase")
    public boolean passphrase() {
        return summary.encryption().passphrase();
    }

    @JsonProperty("leases")
    public Integer leases() {
        return summary.contents().leases();
    }

    @JsonProperty("objectsPerKind")
    public Map<String, Integer> objectsPerKind() {
        return summary.contents().objectsPerKind();
    }
}

package io.pivotctl.validate;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.Manifest;
import io.pivotctl.vocabulary.ClusterApi;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What {@code inspect} shows: counts per kind (from the manifest) and hosts grouped by cluster (from the clear objects). */
public record ArchiveSummary(String formatVersion, String archiveId, String createdAt, Manifest.Source source,
        List<Manifest.Recipient> recipients, boolean passphrase, Integer leases, Map<String, Integer> objectsPerKind,
        List<ClusterHosts> clusters, List<Host> unclaimedHosts, boolean hostsRead, List<Manifest.LeftOut> leftOut,
        List<ClassUse> clusterClasses) {

    public record Host(String name, String provisioningState, boolean poweredOn, String bootMACAddress, String consumer) {
    }

    public record ClusterHosts(String cluster, List<Host> hosts) {
    }

    /**
     * From the manifest alone (what a ranged read of an archive in object storage gives): counts per kind, but no
     * hosts, whose provisioning states live in the objects.
     */
    public static ArchiveSummary ofManifest(Manifest m) {
        return new ArchiveSummary(m.formatVersion(), m.archiveId(), m.createdAt(), m.source(), m.encryption().recipients(),
                m.encryption().passphrase(), m.leases() == null ? null : m.leases().count(), perKind(m), List.of(), List.of(), false, m.leftOut(),
                ClassUse.of(m));
    }

    public static Map<String, Integer> perKind(Manifest m) {
        Map<String, Integer> perKind = new TreeMap<>();
        for (Manifest.Entry e : m.entries()) {
            if (e.isObject()) {
                perKind.merge(e.group().isEmpty() ? e.kind() : e.kind() + "." + e.group(), 1, Integer::sum);
            }
        }
        return perKind;
    }

    public static ArchiveSummary of(LoadedArchive archive) {
        Manifest m = archive.manifest();
        Map<String, Integer> perKind = perKind(m);
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
        return new ArchiveSummary(m.formatVersion(), m.archiveId(), m.createdAt(), m.source(), m.encryption().recipients(),
                m.encryption().passphrase(), m.leases() == null ? null : m.leases().count(), perKind, clusters, unclaimed, true, m.leftOut(),
                ClassUse.of(m));
    }
}

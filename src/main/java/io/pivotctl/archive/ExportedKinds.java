package io.pivotctl.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.vocabulary.ClusterApi;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The kinds export can produce, so import creates nothing else (formats/pivot-archive-v1.md, validation): the
 * Cluster API and Metal3 groups, core Secret, ConfigMap and Namespace, and the kinds whose CRD the archive
 * carries in crds/ with a clusterctl move label. An archive is not trusted to widen this to Kubernetes' own
 * groups: a CRD claiming a built-in group (core, *.k8s.io, *.kubernetes.io) allows nothing.
 */
public final class ExportedKinds {

    static final Set<String> CORE_KINDS = Set.of("Secret", "ConfigMap", "Namespace");

    private final Set<String> labelledKinds;

    private ExportedKinds(Set<String> labelledKinds) {
        this.labelledKinds = Set.copyOf(labelledKinds);
    }

    /** The rule widened by the move-labelled CRDs among {@code crds} (parsed crds/ entries); other CRDs widen nothing. */
    public static ExportedKinds withCrds(List<JsonNode> crds) {
        Set<String> kinds = new HashSet<>();
        for (JsonNode crd : crds) {
            JsonNode labels = crd.path("metadata").path("labels");
            String group = crd.path("spec").path("group").asText("");
            String kind = crd.path("spec").path("names").path("kind").asText("");
            if (!kind.isEmpty() && !isBuiltInGroup(group) && ClusterApi.MOVE_LABELS.stream().anyMatch(labels::has)) {
                kinds.add(key(group, kind));
            }
        }
        return new ExportedKinds(kinds);
    }

    public boolean allows(String group, String kind) {
        String g = group == null ? "" : group;
        if (g.isEmpty()) {
            return CORE_KINDS.contains(kind);
        }
        return isProjectGroup(g) || labelledKinds.contains(key(g, kind));
    }

    /** Cluster API (cluster.x-k8s.io and its subgroups) and Metal3 (metal3.io and its subgroups, ipam.metal3.io among them). */
    static boolean isProjectGroup(String group) {
        return group.equals("cluster.x-k8s.io") || group.endsWith(".cluster.x-k8s.io") || group.equals("metal3.io") || group.endsWith(".metal3.io");
    }

    /** Groups served by Kubernetes itself: core, and the reserved *.k8s.io / *.kubernetes.io (x-k8s.io is not reserved). */
    static boolean isBuiltInGroup(String group) {
        return group.isEmpty() || !group.contains(".") || group.equals("k8s.io") || group.endsWith(".k8s.io") || group.equals("kubernetes.io")
                || group.endsWith(".kubernetes.io");
    }

    /** The one-line refusal for an entry of a kind outside the set. */
    public static String refusal(String path, String group, String kind) {
        String qualified = group == null || group.isEmpty() ? kind : kind + "." + group;
        return "entry '" + path + "': kind " + qualified + " is not one export produces (Cluster API and Metal3 groups, Secret, ConfigMap,"
                + " Namespace, or a kind whose CRD in crds/ carries a clusterctl move label); refusing to import it";
    }

    private static String key(String group, String kind) {
        return kind + "." + group;
    }
}

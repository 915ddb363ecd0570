package io.pivotctl.kube;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.pivotctl.vocabulary.ClusterApi;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the server serves: resources per group (preferred version), CRDs, identity. */
public final class Discovery {

    /** The API groups whose resources a Metal3 / Cluster API management cluster consists of. */
    public static final List<String> METAL3_GROUPS = List.of(
            "cluster.x-k8s.io", "bootstrap.cluster.x-k8s.io", "controlplane.cluster.x-k8s.io",
            "infrastructure.cluster.x-k8s.io", "addons.cluster.x-k8s.io", "ipam.cluster.x-k8s.io",
            "metal3.io", "ipam.metal3.io");

    private final ClusterConnection conn;
    private final ResourceClient resources;

    public Discovery(ClusterConnection conn) {
        this.conn = conn;
        this.resources = new ResourceClient(conn);
    }

    /** Every listable, creatable resource of the Metal3 groups and of move-labelled CRDs, at each group's preferred version. */
    public List<ResourceType> exportableTypes() {
        Set<String> groups = new HashSet<>(METAL3_GROUPS);
        for (CustomResourceDefinition crd : labelledCrds()) {
            groups.add(crd.getSpec().getGroup());
        }
        Map<String, ResourceType> byKey = new LinkedHashMap<>();
        for (APIGroup g : apiGroups()) {
            if (!groups.contains(g.getName()) || g.getPreferredVersion() == null) {
                continue;
            }
            // one group can hold kinds of several providers at different versions (ipam.cluster.x-k8s.io: CAPI's
            // IPAddress at v1beta2, the in-cluster provider's pools at v1alpha2): the preferred version first,
            // then every other served version for the kinds it alone serves
            List<String> versions = new ArrayList<>();
            versions.add(g.getPreferredVersion().getVersion());
            g.getVersions().forEach(v -> {
                if (!versions.contains(v.getVersion())) {
                    versions.add(v.getVersion());
                }
            });
            for (String version : versions) {
                for (ResourceType t : typesOf(g.getName(), version)) {
                    if (METAL3_GROUPS.contains(t.group()) || isLabelledKind(t)) {
                        byKey.putIfAbsent(t.qualifiedResource(), t);
                    }
                }
            }
        }
        return List.copyOf(byKey.values());
    }

    /**
     * "Kind.group" of every CRD labelled {@link ClusterApi#MOVE} or {@link ClusterApi#MOVE_HIERARCHY}, with the label
     * that applies (move-hierarchy wins when both are set).
     */
    public Map<String, String> moveLabelledKinds() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (CustomResourceDefinition crd : labelledCrds()) {
            Map<String, String> labels = crd.getMetadata().getLabels() == null ? Map.of() : crd.getMetadata().getLabels();
            String kind = crd.getSpec().getNames().getKind() + "." + crd.getSpec().getGroup();
            if (labels.containsKey(ClusterApi.MOVE_HIERARCHY)) {
                out.put(kind, ClusterApi.MOVE_HIERARCHY);
            } else if (labels.containsKey(ClusterApi.MOVE)) {
                out.put(kind, ClusterApi.MOVE);
            }
        }
        return out;
    }

    private Set<String> labelledKinds;

    private boolean isLabelledKind(ResourceType t) {
        if (labelledKinds == null) {
            labelledKinds = new HashSet<>();
            for (CustomResourceDefinition crd : labelledCrds()) {
                labelledKinds.add(crd.getSpec().getNames().getPlural() + "." + crd.getSpec().getGroup());
            }
        }
        return labelledKinds.contains(t.qualifiedResource());
    }

    private List<CustomResourceDefinition> labelled;

    private List<CustomResourceDefinition> labelledCrds() {
        if (labelled == null) {
            Map<String, CustomResourceDefinition> found = new LinkedHashMap<>();
            for (String label : ClusterApi.MOVE_LABELS) { // CRDs carrying any of them are moved by clusterctl, so we export them too
                List<CustomResourceDefinition> items = conn.call("list customresourcedefinitions -l " + label, () -> conn.client().apiextensions().v1()
                        .customResourceDefinitions().withLabel(label).list().getItems());
                items.forEach(c -> found.putIfAbsent(c.getMetadata().getName(), c));
            }
            labelled = List.copyOf(found.values());
        }
        return labelled;
    }

    public List<APIGroup> apiGroups() {
        try {
            return conn.call("discover API groups", () -> conn.client().getApiGroups().getGroups());
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "discover", "API groups", conn.server());
        }
    }

    /** The resources served at group/version (empty when that version is not served). */
    public List<ResourceType> typesOf(String group, String version) {
        String gv = group.isEmpty() ? version : group + "/" + version;
        APIResourceList list;
        try {
            list = conn.call("discover " + gv, () -> conn.client().getApiResources(gv));
        } catch (RuntimeException e) {
            if (ApiErrors.isNotFound(e)) {
                return List.of();
            }
            throw ApiErrors.describe(e, "discover", gv, conn.server());
        }
        if (list == null || list.getResources() == null) {
            return List.of();
        }
        Set<String> withStatus = new HashSet<>();
        for (APIResource r : list.getResources()) {
            if (r.getName().endsWith("/status")) {
                withStatus.add(r.getName().substring(0, r.getName().indexOf('/')));
            }
        }
        List<ResourceType> out = new ArrayList<>();
        for (APIResource r : list.getResources()) {
            if (r.getName().contains("/") || r.getVerbs() == null || !r.getVerbs().contains("list") || !r.getVerbs().contains("create")) {
                continue;
            }
            out.add(new ResourceType(group, version, r.getKind(), r.getName(), Boolean.TRUE.equals(r.getNamespaced()), withStatus.contains(r.getName())));
        }
        return out;
    }

    /** The versions at which {@code group} is served (empty when not at all). */
    public List<String> servedVersions(String group) {
        for (APIGroup g : apiGroups()) {
            if (g.getName().equals(group)) {
                return g.getVersions().stream().map(GroupVersionForDiscovery::getVersion).toList();
            }
        }
        return List.of();
    }

    /** The resource of {@code kind} in group/version, if served there. */
    public Optional<ResourceType> find(String group, String version, String kind) {
        if (group.isEmpty()) {
            return switch (kind) {
                case "Secret" -> Optional.of(ResourceType.SECRET);
                case "ConfigMap" -> Optional.of(ResourceType.CONFIG_MAP);
                default -> typesOf("", version).stream().filter(t -> t.kind().equals(kind)).findFirst();
            };
        }
        return typesOf(group, version).stream().filter(t -> t.kind().equals(kind)).findFirst();
    }

    public String serverVersion() {
        try {
            return conn.call("get server version", () -> conn.client().getKubernetesVersion().getGitVersion());
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "get", "server version", conn.server());
        }
    }

    /** The UID of the kube-system namespace: a stable identity of the cluster ("unknown" when not readable). */
    public String clusterId() {
        try {
            return resources.get(ResourceType.NAMESPACE, null, "kube-system")
                    .map(n -> n.path("metadata").path("uid").asText("unknown")).orElse("unknown");
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}

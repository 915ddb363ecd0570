package io.pivotctl.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.Objects;

/**
 * The identity of a Kubernetes object independent of API version: API group ("" for the core group),
 * kind, namespace ("" for cluster-scoped objects) and name. References in Cluster API v1beta2 carry no
 * version, so the graph links objects by this identity.
 */
public record ObjectId(String group, String kind, String namespace, String name) implements Comparable<ObjectId> {

    private static final Comparator<ObjectId> ORDER = Comparator.comparing(ObjectId::group)
            .thenComparing(ObjectId::kind).thenComparing(ObjectId::namespace).thenComparing(ObjectId::name);

    public ObjectId {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        group = group == null ? "" : group;
        namespace = namespace == null ? "" : namespace;
    }

    /** Reads apiVersion, kind, metadata.namespace and metadata.name of an object. */
    public static ObjectId of(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        JsonNode meta = object.path("metadata");
        return new ObjectId(groupOf(apiVersion), object.path("kind").asText(""),
                meta.path("namespace").asText(""), meta.path("name").asText(""));
    }

    /** "metal3.io/v1alpha1" gives "metal3.io"; "v1" gives "" (core). */
    public static String groupOf(String apiVersion) {
        int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public boolean isSecret() {
        return group.isEmpty() && "Secret".equals(kind);
    }

    public boolean isConfigMap() {
        return group.isEmpty() && "ConfigMap".equals(kind);
    }

    /** A Cluster API Cluster. */
    public boolean isCapiCluster() {
        return "cluster.x-k8s.io".equals(group) && "Cluster".equals(kind);
    }

    /** A Cluster API ClusterClass: a topology Cluster's blueprint, possibly in another namespace than the Cluster. */
    public boolean isClusterClass() {
        return "cluster.x-k8s.io".equals(group) && "ClusterClass".equals(kind);
    }

    public boolean isBareMetalHost() {
        return "metal3.io".equals(group) && "BareMetalHost".equals(kind);
    }


    /** The kinds import creates paused and export pauses: Clusters and BareMetalHosts. */
    public boolean isPausable() {
        return isCapiCluster() || isBareMetalHost();
    }

    /** "Kind" for the core group, else "Kind.group". */
    public String qualifiedKind() {
        return group.isEmpty() ? kind : kind + "." + group;
    }

    /** kubectl-like: "BareMetalHost.metal3.io metal3/node-0", "Secret metal3/node-0-bmc". */
    @Override
    public String toString() {
        return qualifiedKind() + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }

    @Override
    public int compareTo(ObjectId o) {
        return ORDER.compare(this, o);
    }
}

package io.pivotctl.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One "reference by name" rule: in objects of {@code group}/{@code kind}, the field at {@code path}
 * names an object. The target's group and kind come from the reference itself when it carries
 * apiGroup/apiVersion and kind (v1beta2 {apiGroup, kind, name}, v1beta1 {apiVersion, kind, name}),
 * else from the rule's defaults. A text field is the name; an object field has {@code name}.
 */
record RefRule(String group, String kind, String path, String targetGroup, String targetKind) {

    /** The rules for the Metal3 / Cluster API kinds (docs/object-links.md, "References by name"). */
    static final List<RefRule> RULES = List.of(
            new RefRule("cluster.x-k8s.io", "Cluster", "spec.infrastructureRef", "infrastructure.cluster.x-k8s.io", null),
            new RefRule("cluster.x-k8s.io", "Cluster", "spec.controlPlaneRef", "controlplane.cluster.x-k8s.io", null),
            new RefRule("controlplane.cluster.x-k8s.io", "KubeadmControlPlane", "spec.machineTemplate.spec.infrastructureRef", "infrastructure.cluster.x-k8s.io", null),
            new RefRule("controlplane.cluster.x-k8s.io", "KubeadmControlPlane", "spec.machineTemplate.infrastructureRef", "infrastructure.cluster.x-k8s.io", null),
            new RefRule("cluster.x-k8s.io", "MachineDeployment", "spec.template.spec.infrastructureRef", "infrastructure.cluster.x-k8s.io", null),
            new RefRule("cluster.x-k8s.io", "MachineDeployment", "spec.template.spec.bootstrap.configRef", "bootstrap.cluster.x-k8s.io", null),
            new RefRule("cluster.x-k8s.io", "MachineDeployment", "spec.clusterName", "cluster.x-k8s.io", "Cluster"),
            new RefRule("cluster.x-k8s.io", "MachineSet", "spec.template.spec.infrastructureRef", "infrastructure.cluster.x-k8s.io", null),
            new RefRule("cluster.x-k8s.io", "MachineSet", "spec.template.spec.bootstrap.configRef", "bootstrap.cluster.x-k8s.io", null),
            new RefRule("cluster.x-k8s.io", "MachineSet", "spec.clusterName", "cluster.x-k8s.io", "Cluster"),
            new RefRule("cluster.x-k8s.io", "Machine", "spec.infrastructureRef", "infrastructure.cluster.x-k8s.io", null),
            new RefRule("cluster.x-k8s.io", "Machine", "spec.bootstrap.configRef", "bootstrap.cluster.x-k8s.io", null),
            new RefRule("cluster.x-k8s.io", "Machine", "spec.bootstrap.dataSecretName", "", "Secret"),
            new RefRule("cluster.x-k8s.io", "Machine", "spec.clusterName", "cluster.x-k8s.io", "Cluster"),
            new RefRule("cluster.x-k8s.io", "MachineHealthCheck", "spec.clusterName", "cluster.x-k8s.io", "Cluster"),
            new RefRule("infrastructure.cluster.x-k8s.io", "Metal3MachineTemplate", "spec.template.spec.dataTemplate", "infrastructure.cluster.x-k8s.io", "Metal3DataTemplate"),
            new RefRule("infrastructure.cluster.x-k8s.io", "Metal3Machine", "spec.dataTemplate", "infrastructure.cluster.x-k8s.io", "Metal3DataTemplate"),
            new RefRule("infrastructure.cluster.x-k8s.io", "Metal3Machine", "spec.userData", "", "Secret"),
            new RefRule("infrastructure.cluster.x-k8s.io", "Metal3Machine", "spec.metaData", "", "Secret"),
            new RefRule("infrastructure.cluster.x-k8s.io", "Metal3Machine", "spec.networkData", "", "Secret"),
            new RefRule("infrastructure.cluster.x-k8s.io", "Metal3DataClaim", "spec.template", "infrastructure.cluster.x-k8s.io", "Metal3DataTemplate"),
            new RefRule("infrastructure.cluster.x-k8s.io", "Metal3Data", "spec.template", "infrastructure.cluster.x-k8s.io", "Metal3DataTemplate"),
            new RefRule("infrastructure.cluster.x-k8s.io", "Metal3Data", "spec.claim", "infrastructure.cluster.x-k8s.io", "Metal3DataClaim"),
            new RefRule("infrastructure.cluster.x-k8s.io", "Metal3Data", "spec.metaData", "", "Secret"),
            new RefRule("infrastructure.cluster.x-k8s.io", "Metal3Data", "spec.networkData", "", "Secret"),
            new RefRule("infrastructure.cluster.x-k8s.io", "Metal3DataTemplate", "spec.clusterName", "cluster.x-k8s.io", "Cluster"),
            new RefRule("ipam.metal3.io", "IPClaim", "spec.pool", "ipam.metal3.io", "IPPool"),
            new RefRule("ipam.metal3.io", "IPAddress", "spec.pool", "ipam.metal3.io", "IPPool"),
            new RefRule("ipam.metal3.io", "IPAddress", "spec.claim", "ipam.metal3.io", "IPClaim"),
            new RefRule("ipam.metal3.io", "IPPool", "spec.clusterName", "cluster.x-k8s.io", "Cluster"),
            new RefRule("metal3.io", "BareMetalHost", "spec.consumerRef", null, null),
            new RefRule("metal3.io", "BareMetalHost", "spec.bmc.credentialsName", "", "Secret"),
            new RefRule("metal3.io", "BareMetalHost", "spec.userData", "", "Secret"),
            new RefRule("metal3.io", "BareMetalHost", "spec.networkData", "", "Secret"),
            new RefRule("metal3.io", "BareMetalHost", "spec.metaData", "", "Secret"),
            new RefRule("metal3.io", "BareMetalHost", "spec.preprovisioningNetworkDataName", "", "Secret"));

    boolean appliesTo(ObjectId id) {
        return group.equals(id.group()) && kind.equals(id.kind());
    }

    /** The referenced object, or null when the field is absent or names nothing. */
    ObjectId target(ObjectId from, JsonNode field) {
        String name;
        String ns = from.namespace();
        String g = targetGroup;
        String k = targetKind;
        if (field.isTextual()) {
            name = field.asText();
        } else if (field.isObject()) {
            name = field.path("name").asText("");
            if (field.hasNonNull("namespace") && !field.get("namespace").asText().isEmpty()) {
                ns = field.get("namespace").asText();
            }
            if (field.hasNonNull("apiGroup")) {
                g = field.get("apiGroup").asText();
            } else if (field.hasNonNull("apiVersion")) {
                g = ObjectId.groupOf(field.get("apiVersion").asText());
            }
            if (field.hasNonNull("kind")) {
                k = field.get("kind").asText();
            }
        } else {
            return null;
        }
        if (name.isEmpty() || k == null || g == null) {
            return null;
        }
        return new ObjectId(g, k, ns, name);
    }
}

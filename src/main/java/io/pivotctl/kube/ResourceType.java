package io.pivotctl.kube;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** A served resource: where it lives in the API and whether it has a /status subresource. */
public record ResourceType(String group, String version, String kind, String plural, boolean namespaced, boolean statusSubresource) {

    public static final ResourceType SECRET = new ResourceType("", "v1", "Secret", "secrets", true, false);
    public static final ResourceType CONFIG_MAP = new ResourceType("", "v1", "ConfigMap", "configmaps", true, false);
    public static final ResourceType NAMESPACE = new ResourceType("", "v1", "Namespace", "namespaces", false, true);
    public static final ResourceType CRD = new ResourceType("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
            false, true);

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** "baremetalhosts.metal3.io", or "secrets" for the core group: kubectl's resource name. */
    public String qualifiedResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }
}

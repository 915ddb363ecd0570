package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.vocabulary.Kubernetes;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists everything a namespace holds, over every namespaced resource the server serves, and names what is not
 * this run's: a namespace this import created may have been given other objects since, and then it stays.
 * What Kubernetes puts in every namespace by itself (events, the default ServiceAccount and its token, the root
 * CA ConfigMap) does not count.
 */
final class NamespaceInventory implements Rollback.NamespaceContents {

    private final Discovery discovery;
    private final ResourceApi api;
    private List<ResourceType> namespaced;

    NamespaceInventory(Discovery discovery, ResourceApi api) {
        this.discovery = discovery;
        this.api = api;
    }

    @Override
    public List<String> othersIn(String namespace, String runId) {
        List<String> others = new ArrayList<>();
        for (ResourceType type : namespacedTypes()) {
            List<ObjectNode> items;
            try {
                items = api.list(type, namespace, null).items();
            } catch (RuntimeException e) {
                if (ApiErrors.code(e) == 403 || ApiErrors.code(e) == 405 || ApiErrors.isNotFound(e)) {
                    continue; // not listable by us: what we cannot see we cannot have created either
                }
                throw e;
            }
            for (ObjectNode o : items) {
                if (!isOurs(o, runId) && !isBuiltIn(type, o)) {
                    others.add(type.kind() + " " + o.path("metadata").path("name").asText());
                }
            }
        }
        return others;
    }

    private static boolean isOurs(ObjectNode o, String runId) {
        return RunLabel.carries(o, runId);
    }

    private static boolean isBuiltIn(ResourceType type, ObjectNode o) {
        String name = o.path("metadata").path("name").asText();
        return switch (type.kind()) {
            case "Event" -> true;
            case "ServiceAccount" -> "default".equals(name);
            case "ConfigMap" -> "kube-root-ca.crt".equals(name);
            case "Secret" -> Kubernetes.SERVICE_ACCOUNT_TOKEN.equals(o.path("type").asText())
                    && "default".equals(o.path("metadata").path("annotations").path(Kubernetes.SERVICE_ACCOUNT_NAME).asText());
            default -> false;
        };
    }

    private List<ResourceType> namespacedTypes() {
        if (namespaced == null) {
            List<ResourceType> out = new ArrayList<>();
            discovery.typesOf("", "v1").stream().filter(ResourceType::namespaced).forEach(out::add);
            for (APIGroup g : discovery.apiGroups()) {
                if (g.getPreferredVersion() != null) {
                    discovery.typesOf(g.getName(), g.getPreferredVersion().getVersion()).stream().filter(ResourceType::namespaced).forEach(out::add);
                }
            }
            namespaced = out;
        }
        return namespaced;
    }
}

package io.pivotctl.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Puts a test target back to "no archived object": so integration tests that import into the same server do not
 * depend on each other's order.
 */
public final class TargetReset {

    private TargetReset() {
    }

    /**
     * Deletes every custom resource, Secret and ConfigMap in {@code namespace} (finalizers stripped first: no
     * controllers run here) except those named in {@code keep}, and every journal under {@code home}.
     */
    public static void clean(KubernetesClient c, String namespace, Path home, String... keep) {
        List<String> kept = List.of(keep);
        for (CustomResourceDefinition crd : c.apiextensions().v1().customResourceDefinitions().list().getItems()) {
            if (!"Namespaced".equals(crd.getSpec().getScope())) {
                continue;
            }
            String v = crd.getSpec().getVersions().stream().filter(x -> x.getStorage()).findFirst().orElseThrow().getName();
            var ops = c.genericKubernetesResources(crd.getSpec().getGroup() + "/" + v, crd.getSpec().getNames().getKind()).inNamespace(namespace);
            var items = ops.list().getItems();
            for (var o : items) {
                if (o.getMetadata().getFinalizers() != null && !o.getMetadata().getFinalizers().isEmpty() && !kept.contains(o.getMetadata().getName())) {
                    ops.withName(o.getMetadata().getName()).edit(x -> {
                        x.getMetadata().setFinalizers(List.of());
                        return x;
                    });
                }
            }
            if (kept.isEmpty()) {
                if (!items.isEmpty()) {
                    ops.delete(); // one collection delete: a loaded server times out on a hundred single ones
                }
                continue;
            }
            items.stream().filter(o -> !kept.contains(o.getMetadata().getName())).forEach(o -> ops.withName(o.getMetadata().getName()).delete());
        }
        if (kept.isEmpty()) {
            c.secrets().inNamespace(namespace).delete();
            c.configMaps().inNamespace(namespace).delete();
        } else {
            c.secrets().inNamespace(namespace).list().getItems().stream().filter(s -> !kept.contains(s.getMetadata().getName()))
                    .forEach(s -> c.secrets().inNamespace(namespace).withName(s.getMetadata().getName()).delete());
            c.configMaps().inNamespace(namespace).list().getItems().stream().filter(s -> !kept.contains(s.getMetadata().getName()))
                    .forEach(s -> c.configMaps().inNamespace(namespace).withName(s.getMetadata().getName()).delete());
        }
        for (Path j : ImportWatch.journals(home)) {
            try {
                Files.deleteIfExists(j);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

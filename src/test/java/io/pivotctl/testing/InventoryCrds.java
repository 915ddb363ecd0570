package io.pivotctl.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Installs only the upstream CRDs (read in place, see {@link Crds#upstreamDir()}) of the kinds an inventory holds, on
 * several servers at once. The old way: a test class now asks {@link ApiServersExtension} for its CRDs
 * ({@link CrdSet}), installed before the class and shared through the server pool; this stays until the ITs written
 * meanwhile on other branches (CommandLineIT) have moved, then goes.
 */
public final class InventoryCrds {

    private InventoryCrds() {
    }

    public static void install(List<ObjectNode> inventory, KubernetesClient... clients) {
        Set<String> kinds = new HashSet<>();
        inventory.forEach(o -> kinds.add(o.path("kind").asText()));
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (KubernetesClient c : clients) {
            all.add(CompletableFuture.runAsync(() -> Crds.install(c, of(kinds))));
        }
        all.forEach(CompletableFuture::join);
    }

    private static List<CustomResourceDefinition> of(Set<String> kinds) {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (Path f : Crds.upstreamFiles()) {
            try (InputStream in = Files.newInputStream(f)) {
                CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
                if (kinds.contains(crd.getSpec().getNames().getKind())) {
                    crds.add(crd);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return crds;
    }
}

package io.pivotctl.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Puts a test target back to "no archived object": so integration tests that import into the same server do not
 * depend on each other's order. No controllers run on a bare test server, so finalizers are stripped before deletes
 * (nothing else would ever remove them).
 */
public final class TargetReset {

    /** What the apiserver itself keeps in every namespace; never a test's. */
    static final Set<String> SERVER_CONFIG_MAPS = Set.of("kube-root-ca.crt");
    /** Where the apiserver keeps its own Secrets and ConfigMaps (and re-creates them when deleted); no test writes there. */
    static final Set<String> SERVER_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");

    private TargetReset() {
    }

    /**
     * Deletes every custom resource, Secret and ConfigMap in {@code namespace} except those named in {@code keep},
     * and every journal under {@code home}.
     */
    public static void clean(KubernetesClient c, String namespace, Path home, String... keep) {
        List<String> kept = List.of(keep);
        for (CustomResourceDefinition crd : c.apiextensions().v1().customResourceDefinitions().list().getItems()) {
            if ("Namespaced".equals(crd.getSpec().getScope())) {
                deleteAll(c, crd, namespace, kept);
            }
        }
        c.secrets().inNamespace(namespace).list().getItems().stream().filter(s -> !kept.contains(s.getMetadata().getName()))
                .forEach(s -> c.secrets().inNamespace(namespace).withName(s.getMetadata().getName()).delete());
        c.configMaps().inNamespace(namespace).list().getItems().stream().filter(s -> !kept.contains(s.getMetadata().getName()))
                .forEach(s -> c.configMaps().inNamespace(namespace).withName(s.getMetadata().getName()).delete());
        for (Path j : ImportWatch.journals(home)) {
            try {
                Files.deleteIfExists(j);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Deletes every CRD (their remaining objects first, finalizers stripped) and waits until none is served. */
    public static void removeAllCrds(KubernetesClient c) {
        for (CustomResourceDefinition crd : c.apiextensions().v1().customResourceDefinitions().list().getItems()) {
            deleteAll(c, crd, null, List.of());
        }
        c.apiextensions().v1().customResourceDefinitions().delete();
        await("every CRD deleted", () -> c.apiextensions().v1().customResourceDefinitions().list().getItems().isEmpty());
    }

    /**
     * Everything a test class may have written, in every namespace: custom resources (cluster-scoped ones too),
     * Secrets and ConfigMaps; what the apiserver made itself stays. {@link ServerPool} checks afterwards that nothing
     * else is left.
     */
    static void everything(KubernetesClient c) {
        for (CustomResourceDefinition crd : c.apiextensions().v1().customResourceDefinitions().list().getItems()) {
            deleteAll(c, crd, null, List.of());
        }
        deleteOurs(c.secrets());
        deleteOurs(c.configMaps());
    }

    private static <T extends HasMetadata, L extends KubernetesResourceList<T>> void deleteOurs(MixedOperation<T, L, Resource<T>> kind) {
        for (T o : kind.inAnyNamespace().list().getItems()) {
            if (ours(o)) {
                stripAndDelete(kind.inNamespace(o.getMetadata().getNamespace()).withName(o.getMetadata().getName()), o);
            }
        }
    }

    /**
     * Finalizers first: no provider controller runs here that would ever remove theirs. The garbage collector does
     * run, so the object may go meanwhile (a dependent of something deleted before it): gone is what we wanted.
     */
    private static <T extends HasMetadata> void stripAndDelete(Resource<T> one, T seen) {
        try {
            if (seen.getMetadata().getFinalizers() != null && !seen.getMetadata().getFinalizers().isEmpty()) {
                one.edit(x -> {
                    x.getMetadata().setFinalizers(List.of());
                    return x;
                });
            }
            one.delete();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** What {@link #everything} could not delete: objects still there (a finalizer set again meanwhile, say). */
    static int leftAfterEverything(KubernetesClient c) {
        int n = 0;
        for (CustomResourceDefinition crd : c.apiextensions().v1().customResourceDefinitions().list().getItems()) {
            n += list(c, crd, null).size();
        }
        n += (int) c.secrets().inAnyNamespace().list().getItems().stream().filter(TargetReset::ours).count();
        n += (int) c.configMaps().inAnyNamespace().list().getItems().stream().filter(TargetReset::ours).count();
        return n;
    }

    /** A Secret or ConfigMap a test may have written: not one the apiserver keeps for itself. */
    private static boolean ours(HasMetadata o) {
        if (SERVER_NAMESPACES.contains(o.getMetadata().getNamespace())) {
            return false;
        }
        if (o instanceof io.fabric8.kubernetes.api.model.Secret s) {
            return !s.getType().startsWith("kubernetes.io/service-account");
        }
        return !SERVER_CONFIG_MAPS.contains(o.getMetadata().getName());
    }

    /** Every object of {@code crd} in {@code namespace} (null: everywhere) except those named in {@code kept}, finalizers stripped first. */
    private static void deleteAll(KubernetesClient c, CustomResourceDefinition crd, String namespace, List<String> kept) {
        var all = c.genericKubernetesResources(context(crd));
        Set<String> namespaces = new java.util.TreeSet<>();
        for (GenericKubernetesResource o : list(c, crd, namespace)) {
            if (kept.contains(o.getMetadata().getName())) {
                continue;
            }
            String ns = o.getMetadata().getNamespace();
            var one = ns != null ? all.inNamespace(ns).withName(o.getMetadata().getName()) : all.withName(o.getMetadata().getName());
            boolean held = o.getMetadata().getFinalizers() != null && !o.getMetadata().getFinalizers().isEmpty();
            if (held || !kept.isEmpty()) {
                stripAndDelete(one, o);
            } else {
                namespaces.add(ns == null ? "" : ns);
            }
        }
        // the rest in one request per namespace: a reset of a fleet's 800 objects need not be 800 requests
        for (String ns : namespaces) {
            if (ns.isEmpty()) {
                all.delete();
            } else {
                all.inNamespace(ns).delete();
            }
        }
    }

    /** Every object of {@code crd} in {@code namespace} (null: everywhere). */
    private static List<GenericKubernetesResource> list(KubernetesClient c, CustomResourceDefinition crd, String namespace) {
        ResourceDefinitionContext type = context(crd);
        var all = c.genericKubernetesResources(type);
        return namespace != null ? all.inNamespace(namespace).list().getItems()
                : type.isNamespaceScoped() ? all.inAnyNamespace().list().getItems() : all.list().getItems();
    }

    /** By explicit context: a CRD created a moment ago may not be in the client's discovery cache yet. */
    private static ResourceDefinitionContext context(CustomResourceDefinition crd) {
        String version = crd.getSpec().getVersions().stream().filter(x -> x.getStorage()).findFirst().orElseThrow().getName();
        return new ResourceDefinitionContext.Builder().withGroup(crd.getSpec().getGroup()).withVersion(version)
                .withKind(crd.getSpec().getNames().getKind()).withPlural(crd.getSpec().getNames().getPlural())
                .withNamespaced("Namespaced".equals(crd.getSpec().getScope())).build();
    }

    /** Polls {@code done} every 100 ms for up to 60 s. */
    public static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

package io.pivotctl.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Import only what export can produce: an archive holding one more object (and maybe one more CRD) is valid
 * or refused, naming the entry, depending on the object's kind. Cluster-scoped objects are fine when their
 * kind is; a CRD in crds/ widens the set only with a clusterctl move label, and never to Kubernetes' groups.
 */
class ArchiveKindsTest {

    @TempDir
    Path dir;

    /** A CRD for group/kind, with the given label (or none). */
    record Crd(String group, String kind, String label) {
    }

    static Stream<Arguments> kinds() {
        String move = "clusterctl.cluster.x-k8s.io/move";
        String hierarchy = "clusterctl.cluster.x-k8s.io/move-hierarchy";
        return Stream.of(
                // group, version, kind, namespace ("" = cluster-scoped), extra CRD, allowed
                Arguments.of("cluster.x-k8s.io", "v1beta1", "MachineDeployment", "metal3", null, true),
                Arguments.of("infrastructure.cluster.x-k8s.io", "v1beta1", "Metal3Machine", "metal3", null, true),
                Arguments.of("ipam.cluster.x-k8s.io", "v1alpha2", "GlobalInClusterIPPool", "", null, true),
                Arguments.of("metal3.io", "v1alpha1", "BareMetalHost", "metal3", null, true),
                Arguments.of("ipam.metal3.io", "v1alpha1", "IPPool", "metal3", null, true),
                Arguments.of("", "v1", "ConfigMap", "metal3", null, true),
                Arguments.of("", "v1", "Namespace", "", null, true),
                Arguments.of("", "v1", "ServiceAccount", "metal3", null, false),
                Arguments.of("", "v1", "Pod", "metal3", null, false),
                Arguments.of("rbac.authorization.k8s.io", "v1", "ClusterRole", "", null, false),
                Arguments.of("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "", null, false),
                Arguments.of("rbac.authorization.k8s.io", "v1", "RoleBinding", "metal3", null, false),
                Arguments.of("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration", "", null, false),
                Arguments.of("apps", "v1", "Deployment", "metal3", null, false),
                Arguments.of("cluster.x-k8s.io.example.com", "v1", "Cluster", "metal3", null, false),
                Arguments.of("notmetal3.io", "v1", "BareMetalHost", "metal3", null, false),
                Arguments.of("example.com", "v1", "Widget", "metal3", null, false),
                Arguments.of("example.com", "v1", "Widget", "metal3", new Crd("example.com", "Widget", move), true),
                Arguments.of("example.com", "v1", "Widget", "", new Crd("example.com", "Widget", hierarchy), true),
                Arguments.of("example.com", "v1", "Widget", "metal3", new Crd("example.com", "Widget", null), false),
                Arguments.of("example.com", "v1", "Widget", "metal3", new Crd("example.com", "Gadget", move), false),
                Arguments.of("rbac.authorization.k8s.io", "v1", "ClusterRole", "", new Crd("rbac.authorization.k8s.io", "ClusterRole", move), false),
                Arguments.of("", "v1", "ServiceAccount", "metal3", new Crd("", "ServiceAccount", move), false),
                Arguments.of("apps.kubernetes.io", "v1", "Thing", "metal3", new Crd("apps.kubernetes.io", "Thing", move), false));
    }

    @ParameterizedTest(name = "{2}.{0} in ''{3}'' with CRD {4}: allowed={5}")
    @MethodSource("kinds")
    void onlyExportedKindsAreAccepted(String group, String version, String kind, String namespace, Crd crd, boolean allowed) {
        String path = EntryPaths.object(group, version, kind, namespace, "extra");
        List<ArchiveWriter.Source> sources = new ArrayList<>(TestArchives.sources());
        ObjectNode obj = Json.MAPPER.createObjectNode();
        obj.put("apiVersion", group.isEmpty() ? version : group + "/" + version);
        obj.put("kind", kind);
        ObjectNode meta = obj.putObject("metadata");
        meta.put("name", "extra");
        if (!namespace.isEmpty()) {
            meta.put("namespace", namespace);
        }
        byte[] bytes = bytes(obj);
        sources.add(new ArchiveWriter.Source(new Manifest.Entry(path, Manifest.Entry.OBJECT, group, version, kind, kind.toLowerCase() + "s",
                namespace, "extra", 0, null, false, false), () -> bytes));
        if (crd != null) {
            byte[] crdBytes = bytes(crdOf(crd));
            String name = crd.kind().toLowerCase() + "s." + crd.group();
            sources.add(new ArchiveWriter.Source(new Manifest.Entry(EntryPaths.crd(name), Manifest.Entry.CRD, "apiextensions.k8s.io", "v1",
                    "CustomResourceDefinition", "customresourcedefinitions", "", name, 0, null, false, false), () -> crdBytes));
        }
        Path file = dir.resolve("kinds.tar.gz");
        ArchiveWriter.write(file, TestArchives.manifest(), sources, Optional.empty());
        List<String> refusals = ArchiveValidator.validate(ArchiveReader.read(file, ArchiveLimits.DEFAULT), TestArchives.lenientChecks())
                .report().errors().stream().filter(e -> e.contains("is not one export produces")).toList();
        String qualified = group.isEmpty() ? kind : kind + "." + group;
        assertEquals(allowed ? List.of() : List.of("entry '" + path + "': kind " + qualified + " is not one export produces (Cluster API and"
                + " Metal3 groups, Secret, ConfigMap, Namespace, or a kind whose CRD in crds/ carries a clusterctl move label); refusing to import it"),
                refusals);
    }

    private static ObjectNode crdOf(Crd crd) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", "apiextensions.k8s.io/v1");
        o.put("kind", "CustomResourceDefinition");
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", crd.kind().toLowerCase() + "s." + crd.group());
        if (crd.label() != null) {
            meta.putObject("labels").put(crd.label(), "");
        }
        ObjectNode spec = o.putObject("spec");
        spec.put("group", crd.group());
        spec.putObject("names").put("kind", crd.kind()).put("plural", crd.kind().toLowerCase() + "s");
        return o;
    }

    private static byte[] bytes(ObjectNode o) {
        try {
            return Json.YAML.writeValueAsBytes(o);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

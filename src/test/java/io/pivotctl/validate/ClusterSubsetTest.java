package io.pivotctl.validate;

import static io.pivotctl.testing.HandMadeArchive.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.GraphCodec;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.ValidationReport;
import io.pivotctl.graph.ObjectGraph;
import io.pivotctl.graph.ObjectId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The part of an archive {@code import --cluster} takes: the same selection export makes, from the archive's graph. */
class ClusterSubsetTest {

    static ObjectNode cluster(String ns, String name) {
        return yaml("apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata: {name: " + name + ", namespace: " + ns + ", uid: uid-" + name + "}\n"
                + "spec: {controlPlaneRef: {apiGroup: controlplane.cluster.x-k8s.io, kind: KubeadmControlPlane, name: " + name + "}}\n");
    }

    static ObjectNode owned(String apiVersion, String kind, String name, String... clusters) {
        ObjectNode o = yaml("apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: " + name + ", namespace: metal3, uid: uid-" + name + "}\n"
                + "spec: {network: {fromPoolRef: {apiGroup: ipam.cluster.x-k8s.io, kind: GlobalInClusterIPPool, name: shared-pool}}}\n");
        var refs = o.with("metadata").withArray("ownerReferences");
        for (String c : clusters) {
            refs.addObject().put("apiVersion", "cluster.x-k8s.io/v1beta2").put("kind", "Cluster").put("name", c).put("uid", "uid-" + c);
        }
        return o;
    }

    /** Two Clusters in metal3 sharing a template and a global pool; a third "b" in namespace other. */
    static LoadedArchive archive() {
        List<ObjectNode> objects = List.of(cluster("metal3", "a"), cluster("metal3", "b"), cluster("other", "b"),
                owned("controlplane.cluster.x-k8s.io/v1beta2", "KubeadmControlPlane", "a", "a"),
                owned("controlplane.cluster.x-k8s.io/v1beta2", "KubeadmControlPlane", "b", "b"),
                owned("infrastructure.cluster.x-k8s.io/v1beta2", "Metal3MachineTemplate", "shared", "a", "b"),
                yaml("apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: GlobalInClusterIPPool\nmetadata: {name: shared-pool, uid: uid-pool}\n"),
                yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b-notes, namespace: metal3, labels: {cluster.x-k8s.io/cluster-name: b}}\n"));
        List<Manifest.Entry> entries = new ArrayList<>();
        List<ArchivedObject> held = new ArrayList<>();
        for (ObjectNode o : objects) {
            ObjectId id = ObjectId.of(o);
            String apiVersion = o.path("apiVersion").asText();
            Manifest.Entry e = Manifest.Entry.object(new Manifest.Entry.ResourceKind(id.group(), apiVersion.substring(apiVersion.indexOf('/') + 1),
                    id.kind(), id.kind().toLowerCase() + "s"), id.namespace(), id.name(), false);
            entries.add(e);
            held.add(new ArchivedObject(e, o));
        }
        Manifest m = Manifest.builder().tool(new Manifest.Tool("pivotctl", "test")).createdAt("2026-12-01T00:00:00Z").archiveId("id")
                .source(new Manifest.Source("https://127.0.0.1:6443", "c", "v1.20.2")).selection(new Manifest.Selection(List.of(), true, List.of()))
                .encryption(new Manifest.Encryption(Manifest.Encryption.AGE_V1, List.of(), false)).entries(entries).secrets(List.of())
                .graph(GraphCodec.toManifest(ObjectGraph.of(objects))).build();
        return new LoadedArchive(m, held, Map.of(), false, new ValidationReport(List.of(), List.of(), Optional.of(m), 0), true, 0, null);
    }

    static Set<String> ids(LoadedArchive a) {
        return a.manifest().entries().stream().map(e -> EntryPaths.id(EntryPaths.idOf(e))).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theClosureOfOneClusterWithWhatItSharesMarked() {
        ClusterSubset b = ClusterSubset.of(archive(), List.of("metal3/b"));
        assertEquals(new TreeSet<>(List.of("cluster.x-k8s.io/Cluster/metal3/b", "controlplane.cluster.x-k8s.io/KubeadmControlPlane/metal3/b",
                "infrastructure.cluster.x-k8s.io/Metal3MachineTemplate/metal3/shared", "ipam.cluster.x-k8s.io/GlobalInClusterIPPool/_cluster/shared-pool",
                "core/ConfigMap/metal3/b-notes")), ids(b.archive()));
        assertEquals(ids(b.archive()), b.archive().objects().stream().map(o -> EntryPaths.id(o.id())).collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(Set.of(new ObjectId("infrastructure.cluster.x-k8s.io", "Metal3MachineTemplate", "metal3", "shared"),
                new ObjectId("ipam.cluster.x-k8s.io", "GlobalInClusterIPPool", "", "shared-pool")), b.sharedWithOthers());
        assertTrue(b.archive().manifest().graph().edges().stream().allMatch(e -> ids(b.archive()).contains(e.from()) && ids(b.archive()).contains(e.to())),
                "the graph names only objects of the part");
    }

    @Test
    void anUnknownOrAmbiguousNameIsAUsageError() {
        PivotctlException unknown = assertThrows(PivotctlException.class, () -> ClusterSubset.of(archive(), List.of("prod-x")));
        assertEquals(Outcome.USAGE, unknown.outcome());
        assertTrue(unknown.getMessage().contains("cluster prod-x not found in the archive"), unknown.getMessage());
        PivotctlException ambiguous = assertThrows(PivotctlException.class, () -> ClusterSubset.of(archive(), List.of("b")));
        assertTrue(ambiguous.getMessage().contains("use --cluster NAMESPACE/NAME"), ambiguous.getMessage());
    }
}

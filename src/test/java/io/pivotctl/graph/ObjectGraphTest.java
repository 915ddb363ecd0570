package io.pivotctl.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.testing.Metal3Fleet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectGraphTest {

    static final List<ObjectNode> INVENTORY = Metal3Fleet.of("metal3",
            List.of(new Metal3Fleet.ClusterSpec("prod-a", 3, 2), new Metal3Fleet.ClusterSpec("edge-b", 1, 1)), 2);

    static ObjectId id(String group, String kind, String name) {
        return new ObjectId(group, kind, "metal3", name);
    }

    static ObjectNode yaml(String text) throws Exception {
        return (ObjectNode) Json.YAML.readTree(text);
    }

    @Test
    void everyOwnerComesBeforeItsDependents() {
        ObjectGraph g = ObjectGraph.of(INVENTORY);
        assertEquals(INVENTORY.size(), g.nodes().size());
        int owners = 0;
        for (Edge e : g.edges()) {
            if (e.type() == EdgeType.OWNER) {
                owners++;
                assertTrue(g.levels().get(e.from()) > g.levels().get(e.to()), e.toString());
            }
        }
        assertTrue(owners > 80, "owner edges: " + owners);
        assertEquals(0, g.levels().get(id("cluster.x-k8s.io", "Cluster", "prod-a")));
        assertEquals(2, g.levels().get(id("cluster.x-k8s.io", "Machine", "prod-a-cp-0")));
        assertEquals(3, g.levels().get(id("cluster.x-k8s.io", "Machine", "prod-a-workers-7d4f9-w0")), "Cluster 0 > MD 1 > MS 2 > Machine 3");
        assertEquals(List.of(), g.cycles());
    }

    @Test
    void linksOfEachKindAreTyped() {
        ObjectGraph g = ObjectGraph.of(INVENTORY);
        ObjectId m3m = id("infrastructure.cluster.x-k8s.io", "Metal3Machine", "prod-a-cp-0");
        ObjectId host = id("metal3.io", "BareMetalHost", "prod-a-node-0");
        assertTrue(g.edges().contains(new Edge(id("cluster.x-k8s.io", "Machine", "prod-a-cp-0"), id("controlplane.cluster.x-k8s.io", "KubeadmControlPlane", "prod-a"),
                EdgeType.OWNER, true, "metadata.ownerReferences")));
        assertTrue(g.edges().contains(new Edge(host, m3m, EdgeType.REF, false, "spec.consumerRef")));
        assertTrue(g.edges().contains(new Edge(m3m, host, EdgeType.ANNOTATION, false, "metadata.annotations[metal3.io/BareMetalHost]")));
        assertTrue(g.edges().contains(new Edge(id("", "Secret", "prod-a-node-0-bmc-secret"), host, EdgeType.OWNER, false, "metadata.ownerReferences")));
        assertTrue(g.edges().contains(new Edge(id("", "Secret", "prod-a-kubeconfig"), id("cluster.x-k8s.io", "Cluster", "prod-a"), EdgeType.CONVENTION,
                false, "metadata.name")));
        assertTrue(g.edges().contains(new Edge(id("cluster.x-k8s.io", "Machine", "prod-a-cp-0"), id("", "Secret", "prod-a-cp-0"), EdgeType.REF, false,
                "spec.bootstrap.dataSecretName")));
        assertTrue(g.edges().contains(new Edge(host, id("cluster.x-k8s.io", "Cluster", "prod-a"), EdgeType.LABEL, false,
                "metadata.labels[cluster.x-k8s.io/cluster-name]")));
        assertTrue(g.edges().contains(new Edge(id("ipam.metal3.io", "IPClaim", "prod-a-template-0-prod-a-prov"), id("ipam.metal3.io", "IPPool", "prod-a-prov"),
                EdgeType.REF, false, "spec.pool")));
    }

    @Test
    void clusterSelectionIsExactlyTheReachableSet() {
        ObjectGraph g = ObjectGraph.of(INVENTORY);
        Set<ObjectId> sel = g.selectClusters(List.of(id("cluster.x-k8s.io", "Cluster", "edge-b")));
        assertTrue(sel.contains(id("metal3.io", "BareMetalHost", "edge-b-node-5")));
        assertTrue(sel.contains(id("metal3.io", "HardwareData", "edge-b-node-5")));
        assertTrue(sel.contains(id("", "Secret", "edge-b-node-5-bmc-secret")));
        for (ObjectId i : sel) {
            assertFalse(i.name().startsWith("prod-a") || i.name().startsWith("spare"), i.toString());
        }
        // 13 objects per host (2 hosts) + Cluster, Metal3Cluster, KCP, MD, MS, 2 M3MT, KCT, M3DT, IPPool + 5 cluster Secrets
        assertEquals(2 * 13 + 10 + 5, sel.size(), sel.toString());
    }

    @Test
    void sameObjectsInAnyOrderGiveTheSameGraph() {
        ObjectGraph a = ObjectGraph.of(INVENTORY);
        List<ObjectNode> shuffled = new ArrayList<>(INVENTORY);
        Collections.shuffle(shuffled, new Random(42));
        ObjectGraph b = ObjectGraph.of(shuffled);
        assertEquals(a.edges(), b.edges());
        assertEquals(a.levelOrder(), b.levelOrder());
        assertEquals(a.dangling(), b.dangling());
    }

    @Test
    void danglingReferencesAndOwnerCyclesAreReported() throws Exception {
        ObjectNode a = yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: a
                  namespace: ns
                  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: b, uid: ub}]
                """);
        ObjectNode b = yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: b
                  namespace: ns
                  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: a, uid: ua}]
                """);
        ObjectNode c = yaml("""
                apiVersion: metal3.io/v1alpha1
                kind: BareMetalHost
                metadata: {name: c, namespace: ns}
                spec: {bmc: {credentialsName: missing-secret}}
                """);
        ObjectNode d = yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: d
                  namespace: ns
                  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: a, uid: ua}]
                """);
        ObjectGraph g = ObjectGraph.of(List.of(a, b, c, d));
        assertEquals(List.of(List.of(new ObjectId("", "ConfigMap", "ns", "a"), new ObjectId("", "ConfigMap", "ns", "b"))), g.cycles());
        assertEquals(List.of(new Edge(new ObjectId("metal3.io", "BareMetalHost", "ns", "c"), new ObjectId("", "Secret", "ns", "missing-secret"),
                EdgeType.REF, false, "spec.bmc.credentialsName")), g.dangling());
        assertTrue(g.levels().get(new ObjectId("", "ConfigMap", "ns", "d")) > g.levels().get(new ObjectId("", "ConfigMap", "ns", "a")),
                "a dependent of a cycle still comes after it");
        assertEquals(4, g.levels().size(), "objects on a cycle still get a level");
    }

    @Test
    void aSelfOwnerIsACycleCyclesComeSortedAndADeepChainIsNone() {
        List<ObjectNode> objects = new java.util.ArrayList<>();
        objects.add(configMap("zz-self", "zz-self"));
        objects.add(configMap("m-1", "m-2"));
        objects.add(configMap("m-2", "m-1"));
        objects.add(configMap("b-1", "b-2"));
        objects.add(configMap("b-2", "b-3"));
        objects.add(configMap("b-3", "b-1"));
        int depth = 5_000; // a deep ownership chain: searched without recursion
        for (int i = 0; i < depth; i++) {
            objects.add(configMap("chain-" + i, i + 1 < depth ? "chain-" + (i + 1) : null));
        }
        ObjectGraph g = ObjectGraph.of(objects);
        assertEquals(List.of(List.of(cm("b-1"), cm("b-2"), cm("b-3")), List.of(cm("m-1"), cm("m-2")), List.of(cm("zz-self"))), g.cycles());
        assertEquals(depth - 1, g.levels().get(cm("chain-0")), "the chain's bottom is one level above each of its owners");
    }

    private static ObjectId cm(String name) {
        return new ObjectId("", "ConfigMap", "ns", name);
    }

    private static ObjectNode configMap(String name, String owner) {
        ObjectNode o = io.pivotctl.Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        ObjectNode meta = o.putObject("metadata").put("name", name).put("namespace", "ns").put("uid", "u-" + name);
        if (owner != null) {
            meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "ConfigMap").put("name", owner).put("uid", "u-" + owner);
        }
        return o;
    }
}

package io.pivotctl.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Links real sites carry that a Metal3 fleet generator does not: nested Secrets, ClusterClass, global pools, shared templates. */
class SiteShapesGraphTest {

    static final String CAPI = "cluster.x-k8s.io";
    static final String INFRA = "infrastructure.cluster.x-k8s.io";

    static ObjectNode yaml(String text) throws Exception {
        return (ObjectNode) Json.YAML.readTree(text);
    }

    static ObjectId id(String group, String kind, String ns, String name) {
        return new ObjectId(group, kind, ns, name);
    }

    @Test
    void kubeadmNestedSecretReferencesAreLinks() throws Exception {
        ObjectNode kcp = yaml("""
                apiVersion: controlplane.cluster.x-k8s.io/v1beta2
                kind: KubeadmControlPlane
                metadata: {name: a, namespace: metal3}
                spec:
                  kubeadmConfigSpec:
                    files:
                    - path: /etc/kubernetes/encryption-config.yaml
                      contentFrom: {secret: {name: a-encryption, key: config}}
                    - path: /etc/kubernetes/audit.yaml
                      contentFrom: {secret: {name: a-audit, key: policy}}
                    users:
                    - name: ops
                      passwdFrom: {secret: {name: a-ops-password, key: hash}}
                """);
        List<Edge> links = Linker.linksOf(kcp);
        for (String secret : List.of("a-encryption", "a-audit", "a-ops-password")) {
            assertTrue(links.stream().anyMatch(e -> e.to().equals(id("", "Secret", "metal3", secret)) && e.type() == EdgeType.REF), secret + " in " + links);
        }
        assertTrue(links.stream().anyMatch(e -> e.field().equals("spec.kubeadmConfigSpec.users[0].passwdFrom.secret")), links.toString());
    }

    @Test
    void topologyClusterNamesItsClusterClassAndTheClassItsTemplates() throws Exception {
        ObjectNode cluster = yaml("""
                apiVersion: cluster.x-k8s.io/v1beta2
                kind: Cluster
                metadata: {name: t, namespace: metal3}
                spec:
                  topology: {classRef: {name: metal3-class, namespace: classes}, version: v1.31.0}
                """);
        ObjectNode v1beta1 = yaml("""
                apiVersion: cluster.x-k8s.io/v1beta1
                kind: Cluster
                metadata: {name: old, namespace: metal3}
                spec:
                  topology: {class: metal3-class, version: v1.31.0}
                """);
        ObjectNode clusterClass = yaml("""
                apiVersion: cluster.x-k8s.io/v1beta2
                kind: ClusterClass
                metadata: {name: metal3-class, namespace: classes}
                spec:
                  infrastructure:
                    templateRef: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: Metal3ClusterTemplate, name: m3c-tpl}
                  controlPlane:
                    templateRef: {apiVersion: controlplane.cluster.x-k8s.io/v1beta2, kind: KubeadmControlPlaneTemplate, name: kcp-tpl}
                    machineInfrastructure:
                      templateRef: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: Metal3MachineTemplate, name: cp-tpl}
                  workers:
                    machineDeployments:
                    - class: default-worker
                      bootstrap:
                        templateRef: {apiVersion: bootstrap.cluster.x-k8s.io/v1beta2, kind: KubeadmConfigTemplate, name: worker-bootstrap}
                      infrastructure:
                        templateRef: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: Metal3MachineTemplate, name: worker-tpl}
                """);
        assertTrue(Linker.linksOf(cluster).contains(new Edge(id(CAPI, "Cluster", "metal3", "t"), id(CAPI, "ClusterClass", "classes", "metal3-class"),
                EdgeType.REF, false, "spec.topology.classRef")));
        assertTrue(Linker.linksOf(v1beta1).stream().anyMatch(e -> e.to().equals(id(CAPI, "ClusterClass", "metal3", "metal3-class"))));
        List<ObjectId> targets = Linker.linksOf(clusterClass).stream().map(Edge::to).toList();
        assertTrue(targets.containsAll(List.of(id(INFRA, "Metal3ClusterTemplate", "classes", "m3c-tpl"),
                id("controlplane.cluster.x-k8s.io", "KubeadmControlPlaneTemplate", "classes", "kcp-tpl"),
                id(INFRA, "Metal3MachineTemplate", "classes", "cp-tpl"), id(INFRA, "Metal3MachineTemplate", "classes", "worker-tpl"),
                id("bootstrap.cluster.x-k8s.io", "KubeadmConfigTemplate", "classes", "worker-bootstrap"))), targets.toString());
    }

    @Test
    void aV1beta1ClusterNamesItsClassInClassNamespace() throws Exception {
        ObjectNode v1beta1 = yaml("""
                apiVersion: cluster.x-k8s.io/v1beta1
                kind: Cluster
                metadata: {name: old, namespace: metal3}
                spec:
                  topology: {class: standard, classNamespace: classes, version: v1.31.0}
                """);
        assertTrue(Linker.linksOf(v1beta1).contains(new Edge(id(CAPI, "Cluster", "metal3", "old"), id(CAPI, "ClusterClass", "classes", "standard"),
                EdgeType.REF, false, "spec.topology.class")), Linker.linksOf(v1beta1).toString());
    }

    /** From a ClusterClass: its templates and what they name, not what merely shares its namespace or labels. */
    @Test
    void theDependencyClosureOfAClassIsItsTemplatesAndWhatTheyName() throws Exception {
        ObjectNode clusterClass = yaml("""
                apiVersion: cluster.x-k8s.io/v1beta2
                kind: ClusterClass
                metadata: {name: standard, namespace: classes}
                spec:
                  controlPlane:
                    templateRef: {apiVersion: controlplane.cluster.x-k8s.io/v1beta2, kind: KubeadmControlPlaneTemplate, name: kcp-tpl}
                """);
        ObjectNode kcpTemplate = yaml("""
                apiVersion: controlplane.cluster.x-k8s.io/v1beta2
                kind: KubeadmControlPlaneTemplate
                metadata: {name: kcp-tpl, namespace: classes}
                spec:
                  template:
                    spec:
                      kubeadmConfigSpec:
                        files:
                        - {path: /etc/audit.yaml, contentFrom: {secret: {name: audit-policy, key: policy}}}
                """);
        ObjectNode secret = yaml("""
                apiVersion: v1
                kind: Secret
                metadata: {name: audit-policy, namespace: classes}
                """);
        ObjectNode unused = yaml("""
                apiVersion: cluster.x-k8s.io/v1beta2
                kind: ClusterClass
                metadata: {name: unused, namespace: classes}
                spec:
                  controlPlane:
                    templateRef: {apiVersion: controlplane.cluster.x-k8s.io/v1beta2, kind: KubeadmControlPlaneTemplate, name: kcp-tpl}
                """);
        ObjectGraph graph = ObjectGraph.of(List.of(clusterClass, kcpTemplate, secret, unused));
        ObjectId standard = id(CAPI, "ClusterClass", "classes", "standard");
        assertEquals(Set.of(standard, id("controlplane.cluster.x-k8s.io", "KubeadmControlPlaneTemplate", "classes", "kcp-tpl"),
                id("", "Secret", "classes", "audit-policy")), graph.dependencyClosure(List.of(standard)));
        assertEquals(Set.of(), graph.dependencyClosure(List.of(id(CAPI, "ClusterClass", "classes", "missing"))));
    }

    @Test
    void aPoolReferenceResolvesToTheClusterScopedPoolWhenThatIsTheOneThatExists() throws Exception {
        ObjectNode template = yaml("""
                apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
                kind: Metal3DataTemplate
                metadata: {name: dt, namespace: metal3}
                spec:
                  clusterName: a
                  networkData:
                    networks:
                      ipv4:
                      - id: provisioning
                        link: eth0
                        fromPoolRef: {apiGroup: ipam.cluster.x-k8s.io, kind: GlobalInClusterIPPool, name: provisioning-pool}
                  metaData:
                    ipAddressesFromIPPool:
                    - {key: ip, name: baremetal-pool, apiGroup: ipam.metal3.io, kind: IPPool}
                """);
        ObjectNode global = yaml("""
                apiVersion: ipam.cluster.x-k8s.io/v1beta2
                kind: GlobalInClusterIPPool
                metadata: {name: provisioning-pool}
                spec: {addresses: ["172.22.0.10-172.22.0.100"], prefix: 24}
                """);
        ObjectNode pool = yaml("""
                apiVersion: ipam.metal3.io/v1alpha1
                kind: IPPool
                metadata: {name: baremetal-pool, namespace: metal3}
                spec: {namePrefix: bm}
                """);
        ObjectGraph g = ObjectGraph.of(List.of(template, global, pool));
        ObjectId dt = id(INFRA, "Metal3DataTemplate", "metal3", "dt");
        assertTrue(g.dependenciesOf(dt).contains(id("ipam.cluster.x-k8s.io", "GlobalInClusterIPPool", "", "provisioning-pool")), g.edges().toString());
        assertTrue(g.dependenciesOf(dt).contains(id("ipam.metal3.io", "IPPool", "metal3", "baremetal-pool")), g.edges().toString());
        assertEquals(List.of(), g.dangling().stream().filter(e -> e.from().equals(dt) && !e.to().kind().equals("Cluster")).toList());
    }

    /** Cluster b shares a template and a pool with cluster a; selecting b must not pull in a. */
    @Test
    void selectingOneClusterNeverStepsIntoAnotherThroughSharedObjects() throws Exception {
        List<ObjectNode> objects = new ArrayList<>();
        for (String c : List.of("a", "b")) {
            objects.add(yaml("""
                    apiVersion: cluster.x-k8s.io/v1beta2
                    kind: Cluster
                    metadata: {name: %1$s, namespace: metal3, uid: uid-cluster-%1$s}
                    spec:
                      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: Metal3Cluster, name: %1$s}
                      controlPlaneRef: {apiGroup: controlplane.cluster.x-k8s.io, kind: KubeadmControlPlane, name: %1$s}
                    """.formatted(c)));
            objects.add(yaml("""
                    apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
                    kind: Metal3Cluster
                    metadata:
                      name: %1$s
                      namespace: metal3
                      uid: uid-m3c-%1$s
                      labels: {cluster.x-k8s.io/cluster-name: %1$s}
                      ownerReferences: [{apiVersion: cluster.x-k8s.io/v1beta2, kind: Cluster, name: %1$s, uid: uid-cluster-%1$s}]
                    """.formatted(c)));
            objects.add(yaml("""
                    apiVersion: controlplane.cluster.x-k8s.io/v1beta2
                    kind: KubeadmControlPlane
                    metadata:
                      name: %1$s
                      namespace: metal3
                      uid: uid-kcp-%1$s
                      labels: {cluster.x-k8s.io/cluster-name: %1$s}
                      ownerReferences: [{apiVersion: cluster.x-k8s.io/v1beta2, kind: Cluster, name: %1$s, uid: uid-cluster-%1$s}]
                    spec:
                      machineTemplate:
                        spec:
                          infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: Metal3MachineTemplate, name: shared-tpl}
                    """.formatted(c)));
            objects.add(yaml("""
                    apiVersion: ipam.metal3.io/v1alpha1
                    kind: IPClaim
                    metadata:
                      name: claim-%1$s
                      namespace: metal3
                      uid: uid-claim-%1$s
                      ownerReferences: [{apiVersion: controlplane.cluster.x-k8s.io/v1beta2, kind: KubeadmControlPlane, name: %1$s, uid: uid-kcp-%1$s, controller: true}]
                    spec: {pool: shared-pool}
                    """.formatted(c)));
            objects.add(yaml("""
                    apiVersion: ipam.metal3.io/v1alpha1
                    kind: IPAddress
                    metadata:
                      name: addr-%1$s
                      namespace: metal3
                      ownerReferences:
                      - {apiVersion: ipam.metal3.io/v1alpha1, kind: IPPool, name: shared-pool, uid: uid-pool}
                      - {apiVersion: ipam.metal3.io/v1alpha1, kind: IPClaim, name: claim-%1$s, uid: uid-claim-%1$s}
                    spec: {pool: {name: shared-pool}, claim: {name: claim-%1$s}, address: 192.168.111.10}
                    """.formatted(c)));
        }
        objects.add(yaml("""
                apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
                kind: Metal3MachineTemplate
                metadata:
                  name: shared-tpl
                  namespace: metal3
                  ownerReferences:
                  - {apiVersion: cluster.x-k8s.io/v1beta2, kind: Cluster, name: a, uid: uid-cluster-a}
                  - {apiVersion: cluster.x-k8s.io/v1beta2, kind: Cluster, name: b, uid: uid-cluster-b}
                """));
        objects.add(yaml("""
                apiVersion: ipam.metal3.io/v1alpha1
                kind: IPPool
                metadata:
                  name: shared-pool
                  namespace: metal3
                  uid: uid-pool
                  ownerReferences:
                  - {apiVersion: cluster.x-k8s.io/v1beta2, kind: Cluster, name: a, uid: uid-cluster-a}
                  - {apiVersion: cluster.x-k8s.io/v1beta2, kind: Cluster, name: b, uid: uid-cluster-b}
                """));
        ObjectGraph g = ObjectGraph.of(objects);
        Set<ObjectId> b = g.selectClusters(List.of(id(CAPI, "Cluster", "metal3", "b")));
        for (ObjectId want : List.of(id(CAPI, "Cluster", "metal3", "b"), id(INFRA, "Metal3Cluster", "metal3", "b"),
                id("controlplane.cluster.x-k8s.io", "KubeadmControlPlane", "metal3", "b"), id(INFRA, "Metal3MachineTemplate", "metal3", "shared-tpl"),
                id("ipam.metal3.io", "IPPool", "metal3", "shared-pool"), id("ipam.metal3.io", "IPClaim", "metal3", "claim-b"),
                id("ipam.metal3.io", "IPAddress", "metal3", "addr-b"))) {
            assertTrue(b.contains(want), want + " missing from " + b);
        }
        for (ObjectId foreign : List.of(id(CAPI, "Cluster", "metal3", "a"), id(INFRA, "Metal3Cluster", "metal3", "a"),
                id("controlplane.cluster.x-k8s.io", "KubeadmControlPlane", "metal3", "a"), id("ipam.metal3.io", "IPClaim", "metal3", "claim-a"),
                id("ipam.metal3.io", "IPAddress", "metal3", "addr-a"))) {
            assertFalse(b.contains(foreign), foreign + " of cluster a selected with --cluster b: " + b);
        }
        ClusterAffinity affinity = ClusterAffinity.of(g);
        assertEquals(Set.of(id(CAPI, "Cluster", "metal3", "a"), id(CAPI, "Cluster", "metal3", "b")),
                affinity.of(id(INFRA, "Metal3MachineTemplate", "metal3", "shared-tpl")), "a template owned by both is shared");
        assertEquals(Set.of(id(CAPI, "Cluster", "metal3", "a")), affinity.of(id("ipam.metal3.io", "IPAddress", "metal3", "addr-a")),
                "an address of a shared pool belongs to its claim's cluster");
    }
}

package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.Crds;
import io.pivotctl.testing.FaultProxy;
import io.pivotctl.testing.ImportWatch;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.TargetReset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Import never touches what the run did not create, on a real apiserver: a CRD the target has (serving another
 * version) keeps its UID; a failure while installing the second CRD rolls back the first; a --rollback leaves an
 * object recreated under the same name alone, and keeps a namespace the run created once someone else put an
 * object in it. Each test starts from a target with only the metal3 namespace and leaves it so: any order works.
 */
class ImportSafetyIT {

    /**
     * The target has only the metal3 namespace (there before any import, so no rollback removes it and each test
     * finds it) and a fault proxy in front of it.
     */
    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withSourceCrds(CrdSet.fixtures())
            .withFleet(Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("c1", 1, 1)), 1))
            .withTargetNamespace("metal3").withProxiedTarget();

    @TempDir
    static Path dir;

    static Path archive;
    static Path identity;
    static FaultProxy proxy;
    static Path proxyKubeconfig;

    static final ResourceDefinitionContext BMH = new ResourceDefinitionContext.Builder().withGroup("metal3.io").withVersion("v1alpha1")
            .withKind("BareMetalHost").withPlural("baremetalhosts").withNamespaced(true).build();

    @BeforeAll
    static void setUp() throws Exception {
        identity = servers.key().identity();
        Path leases = dir.resolve("dnsmasq.leases");
        java.nio.file.Files.writeString(leases, "1700000000 00:5c:52:31:3a:9c 172.22.0.10 node-0 *\n");
        archive = servers.key().exportMetal3(servers.source(), dir.resolve("a.tar.gz"), "--leases-file", leases.toString());
        proxy = servers.targetProxy();
        proxyKubeconfig = proxy.kubeconfig();
    }

    /** Back to a target with only the metal3 namespace: no CRDs, no objects, no journal, a proxy without faults. */
    @AfterEach
    void cleanTarget() {
        proxy.reset();
        servers.resetTargetWithoutCrds();
    }

    static KubernetesClient target() {
        return servers.target().client();
    }

    static Map<String, String> crdUids() {
        return target().apiextensions().v1().customResourceDefinitions().list().getItems().stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c.getMetadata().getUid(), (a, b) -> a, TreeMap::new));
    }

    static void await(java.util.function.BooleanSupplier condition) {
        TargetReset.await("the target's CRDs or objects as expected", condition);
    }

    static void installFixturesExcept(String... names) {
        List<String> skip = List.of(names);
        Crds.installFixtures(target()).stream().filter(c -> skip.contains(c.getMetadata().getName()))
                .forEach(c -> target().apiextensions().v1().customResourceDefinitions().withName(c.getMetadata().getName()).delete());
        await(() -> skip.stream().allMatch(n -> target().apiextensions().v1().customResourceDefinitions().withName(n).get() == null));
    }

    @Test
    void aCrdTheTargetServesAtAnotherVersionIsNeverWrittenNorRolledBack() {
        CustomResourceDefinition otherVersion = Crds.openSchema("ipam.metal3.io", "v1alpha9", "IPPool", "ippools", true);
        Crds.install(target(), List.of(otherVersion));
        String uid = crdUids().get("ippools.ipam.metal3.io");

        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", servers.target().kubeconfig().toString(), "--identity",
                identity.toString(), "--install-crds");

        assertEquals(3, r.exitCode(), r.toString());
        assertEquals(uid, crdUids().get("ippools.ipam.metal3.io"), "the target's own CRD is still there, the same object: " + r);
        assertTrue(r.err().contains("IPPool.ipam.metal3.io v1alpha1 is not served by the target"), r.err());
        assertTrue(r.err().contains("CRD ippools.ipam.metal3.io exists on the target but does not serve the archived version: left as it is"), r.err());
        assertTrue(r.err().contains("warning: the archive is not signed: its checksums catch damage, not deliberate changes"), r.err());
        await(() -> crdUids().keySet().equals(java.util.Set.of("ippools.ipam.metal3.io")));
        assertEquals(Map.of(), ImportWatch.perKind(servers.target(), "metal3"), "no object of the archive was written");
        assertEquals(List.of(), ImportWatch.journals(servers.home()), "the CRDs this run installed were rolled back completely");
    }

    @Test
    void aFailureOnTheSecondCrdRollsBackTheFirstAndLeavesTheTargetsOwnCrds() {
        installFixturesExcept("baremetalhosts.metal3.io", "hardwaredata.metal3.io");
        Map<String, String> before = crdUids();
        // the first CRD create (baremetalhosts, in name order) passes; the second (hardwaredata) is refused
        proxy.add(FaultProxy.Rule.statusOnWrite("POST", "/customresourcedefinitions", 422, 1, 100));

        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", proxyKubeconfig.toString(), "--identity", identity.toString(),
                "--install-crds");

        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("customresourcedefinition hardwaredata.metal3.io"), r.err());
        assertTrue(r.err().contains("rolled back 1 change(s)"), r.err());
        await(() -> crdUids().equals(before));
        assertEquals(before, crdUids(), "the first CRD this run installed is gone; every CRD the target had keeps its UID");
        assertEquals(List.of(), ImportWatch.journals(servers.home()));
    }

    @Test
    void rollbackLeavesAnObjectRecreatedUnderTheSameNameAndANamespaceOthersUseSinceAlone() {
        Crds.installFixtures(target());
        String leasesNs = "leases-" + Long.toHexString(System.nanoTime());
        proxy.add(FaultProxy.Rule.statusOnWrite("POST", "/hardwaredata", 422, 0, 1000));
        Cli.Result failed = Cli.run("import", archive.toString(), "--kubeconfig", proxyKubeconfig.toString(), "--identity", identity.toString(),
                "--no-rollback", "--leases-configmap", leasesNs + "/leases");
        assertEquals(1, failed.exitCode(), failed.toString());
        assertEquals(1, ImportWatch.journals(servers.home()).size(), "--no-rollback keeps the journal");
        assertNotNull(target().namespaces().withName(leasesNs).get(), "the run created the leases namespace");

        // someone replaces one host this run created by another of the same name (new UID, a finalizer of theirs) ...
        var hosts = target().genericKubernetesResources(BMH).inNamespace("metal3");
        GenericKubernetesResource ours = hosts.list().getItems().get(0);
        String name = ours.getMetadata().getName();
        hosts.withName(name).edit(x -> {
            x.getMetadata().setFinalizers(List.of());
            return x;
        });
        hosts.withName(name).delete();
        await(() -> hosts.withName(name).get() == null);
        GenericKubernetesResource theirs = new GenericKubernetesResource();
        theirs.setApiVersion("metal3.io/v1alpha1");
        theirs.setKind("BareMetalHost");
        theirs.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace("metal3")
                .withFinalizers("someone.example/keep").build());
        theirs.setAdditionalProperty("spec", Map.of("online", false));
        String theirUid = hosts.resource(theirs).create().getMetadata().getUid();
        // ... and puts a ConfigMap of theirs into the namespace the run created
        target().configMaps().inNamespace(leasesNs).resource(new ConfigMapBuilder().withNewMetadata().withName("theirs").endMetadata()
                .addToData("k", "v").build()).create();

        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", servers.target().kubeconfig().toString(), "--rollback");

        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains(name + " (an object of that name exists, but not the one this import created: UID differs)"), r.err());
        GenericKubernetesResource still = hosts.withName(name).get();
        assertNotNull(still, "their host is still there");
        assertEquals(theirUid, still.getMetadata().getUid());
        assertEquals(List.of("someone.example/keep"), still.getMetadata().getFinalizers(), "their finalizer was not stripped");
        var ns = target().namespaces().withName(leasesNs).get();
        assertNull(ns.getMetadata().getDeletionTimestamp(), "the namespace holds someone else's ConfigMap: it stays");
        assertTrue(r.err().contains("namespace " + leasesNs), r.err());
        assertNull(target().configMaps().inNamespace(leasesNs).withName("leases").get(), "the run's leases ConfigMap is rolled back");
        assertNotNull(target().configMaps().inNamespace(leasesNs).withName("theirs").get());
        assertEquals(List.of(name), hosts.list().getItems().stream().map(h -> h.getMetadata().getName()).toList());
        assertEquals(List.of(), ImportWatch.journals(servers.home()));
        assertFalse(r.err().contains("NOT rolled back"), r.err());
    }

    @Test
    void theLeasesNamespaceAndConfigMapWritesSurviveLostAnswers() {
        Crds.installFixtures(target());
        String ns = "lost-" + Long.toHexString(System.nanoTime());
        // the server carries each first write out, the client never hears: the retry meets "already exists" / a new resourceVersion
        FaultProxy.Rule lostNamespace = FaultProxy.Rule.loseAnswer("POST", "/api/v1/namespaces", 1);
        FaultProxy.Rule lostCreate = FaultProxy.Rule.loseAnswer("POST", "/namespaces/" + ns + "/configmaps", 1);
        proxy.add(lostNamespace).add(lostCreate);
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", proxyKubeconfig.toString(), "--identity", identity.toString(),
                "--leases-configmap", ns + "/leases", "-q");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(1, lostNamespace.injected().get());
        assertEquals(1, lostCreate.injected().get());
        assertNotNull(target().configMaps().inNamespace(ns).withName("leases").get());

        // a second import updates the ConfigMap (other content now); its first update lands unheard
        target().configMaps().inNamespace(ns).withName("leases").edit(c -> {
            c.getData().put("dnsmasq.leases", "changed\n");
            return c;
        });
        cleanTarget();
        Crds.installFixtures(target());
        FaultProxy.Rule lostUpdate = FaultProxy.Rule.loseAnswer("PUT", "/namespaces/" + ns + "/configmaps/leases", 1);
        proxy.add(lostUpdate);
        Cli.Result again = Cli.run("import", archive.toString(), "--kubeconfig", proxyKubeconfig.toString(), "--identity", identity.toString(),
                "--leases-configmap", ns + "/leases", "--on-conflict", "update", "-q");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(1, lostUpdate.injected().get());
        assertTrue(target().configMaps().inNamespace(ns).withName("leases").get().getData().get("dnsmasq.leases").contains("00:5c:52:31:3a:9c"));
    }
}

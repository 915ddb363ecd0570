package io.pivotctl.it;

import static io.pivotctl.testing.HandMadeArchive.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.pivotctl.Json;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.Crds;
import io.pivotctl.testing.FaultProxy;
import io.pivotctl.testing.HandMadeArchive;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster-scoped objects ("globals", e.g. a GlobalInClusterIPPool) are shared by everything on the target: import
 * creates one that is missing, adopts one that exists (references to it get its UID), never updates it, and a
 * rollback removes only those this run created. Owners outside the archive are found on the target by name, or
 * the reference is dropped with a warning naming both objects. --on-conflict update leaves objects unpaused as
 * a fresh import does. Archives are written by pivotctl's writer from objects named here; each test uses its
 * own object names, so the tests run in any order.
 */
class ImportGlobalsIT {

    @TempDir
    static Path dir;

    static final ResourceDefinitionContext POOLS = new ResourceDefinitionContext.Builder().withGroup("ipam.cluster.x-k8s.io").withVersion("v1beta1")
            .withKind("GlobalInClusterIPPool").withPlural("globalinclusterippools").withNamespaced(false).build();
    static final ResourceDefinitionContext HOSTS = new ResourceDefinitionContext.Builder().withGroup("metal3.io").withVersion("v1alpha1")
            .withKind("BareMetalHost").withPlural("baremetalhosts").withNamespaced(true).build();
    static final ResourceDefinitionContext HWD = new ResourceDefinitionContext.Builder().withGroup("metal3.io").withVersion("v1alpha1")
            .withKind("HardwareData").withPlural("hardwaredata").withNamespaced(true).build();
    static final ResourceDefinitionContext CLUSTERS = new ResourceDefinitionContext.Builder().withGroup("cluster.x-k8s.io").withVersion("v1beta2")
            .withKind("Cluster").withPlural("clusters").withNamespaced(true).build();

    /** The one server, which the import targets; a fault proxy in front of it for the rollback test. */
    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.one()
            // a tiny cluster-scoped CRD of the real group and kind, defined here (the upstream one is not needed for this)
            .withCrds(CrdSet.fixtures().and(Crds.openSchema("ipam.cluster.x-k8s.io", "v1beta1", "GlobalInClusterIPPool", "globalinclusterippools", false)))
            .withTargetNamespace("metal3").withProxiedTarget();

    static KubernetesClient client() {
        return servers.source().client();
    }

    static String kubeconfig() {
        return servers.source().kubeconfig().toString();
    }

    static GenericKubernetesResource create(ResourceDefinitionContext ctx, String yaml) {
        GenericKubernetesResource r = Json.MAPPER.convertValue(yaml(yaml), GenericKubernetesResource.class);
        return ctx.isNamespaceScoped() ? client().genericKubernetesResources(ctx).inNamespace("metal3").resource(r).create()
                : client().genericKubernetesResources(ctx).resource(r).create();
    }

    static GenericKubernetesResource get(ResourceDefinitionContext ctx, String name) {
        return ctx.isNamespaceScoped() ? client().genericKubernetesResources(ctx).inNamespace("metal3").withName(name).get()
                : client().genericKubernetesResources(ctx).withName(name).get();
    }

    static String pool(String name, String uid, String x) {
        return "apiVersion: ipam.cluster.x-k8s.io/v1beta1\nkind: GlobalInClusterIPPool\nmetadata: {name: " + name + ", uid: " + uid + "}\nspec: {x: " + x + "}\n";
    }

    static String host(String name, String uid, String owners) {
        return "apiVersion: metal3.io/v1alpha1\nkind: BareMetalHost\nmetadata: {name: " + name + ", namespace: metal3, uid: " + uid
                + (owners.isEmpty() ? "" : ", ownerReferences: [" + owners + "]") + "}\nspec: {online: true}\n";
    }

    static String hardware(String name, String uid, String owners) {
        return "apiVersion: metal3.io/v1alpha1\nkind: HardwareData\nmetadata: {name: " + name + ", namespace: metal3, uid: " + uid
                + ", ownerReferences: [" + owners + "]}\nspec: {hardware: {ramMebibytes: 1024}}\n";
    }

    static String ref(String apiVersion, String kind, String name, String uid) {
        return "{apiVersion: " + apiVersion + ", kind: " + kind + ", name: " + name + ", uid: " + uid + "}";
    }

    @Test
    void globalsAreCreatedOrAdoptedNeverUpdatedOwnersOutsideTheArchiveAreFoundAndUpdateUnpauses() {
        String theirPool = create(POOLS, pool("g1-a", "x", "theirs")).getMetadata().getUid();
        String theirOwner = client().configMaps().inNamespace("metal3").resource(new ConfigMapBuilder().withNewMetadata().withName("g1-owner")
                .endMetadata().build()).create().getMetadata().getUid();
        create(CLUSTERS, "apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata: {name: g1-c, namespace: metal3}\nspec: {paused: true, note: theirs}\n");
        create(HOSTS, host("g1-h0", "x", ""));
        Path archive = new HandMadeArchive()
                .add(yaml(pool("g1-a", "old-a", "archived")), "globalinclusterippools", 0)
                .add(yaml(pool("g1-b", "old-b", "archived")), "globalinclusterippools", 0)
                .add(yaml("apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata: {name: g1-c, namespace: metal3, uid: old-c}\n"
                        + "spec: {paused: false, note: archived}\n"), "clusters", 0)
                .add(yaml(host("g1-h0", "old-h0", "")), "baremetalhosts", 0)
                .add(yaml(host("g1-h1", "old-h1", ref("ipam.cluster.x-k8s.io/v1beta1", "GlobalInClusterIPPool", "g1-a", "old-a"))), "baremetalhosts", 1)
                .add(yaml(hardware("g1-h1", "old-hw", ref("v1", "ConfigMap", "g1-owner", "old-owner") + ", "
                        + ref("v1", "ConfigMap", "g1-nowhere", "old-nowhere"))), "hardwaredata", 1)
                .write(dir.resolve("g1.tar"));

        Cli.Result dry = Cli.run("import", archive.toString(), "--kubeconfig", kubeconfig(), "--dry-run");
        assertEquals(3, dry.exitCode(), dry.toString());
        assertTrue(dry.err().contains("Cluster.cluster.x-k8s.io metal3/g1-c already exists") && dry.err().contains("metal3/g1-h0 already exists"), dry.err());
        assertFalse(dry.err().contains("g1-a already exists"), "an existing global is no conflict: " + dry.err());

        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", kubeconfig(), "--on-conflict", "update");

        assertEquals(0, r.exitCode(), r.toString());
        GenericKubernetesResource a = get(POOLS, "g1-a");
        assertEquals(theirPool, a.getMetadata().getUid(), "the existing global is adopted, the same object");
        assertEquals(Map.of("x", "theirs"), a.getAdditionalProperties().get("spec"), "and never updated, even with --on-conflict update");
        GenericKubernetesResource b = get(POOLS, "g1-b");
        assertNotNull(b, "a missing global is created");
        assertNotNull(b.getMetadata().getLabels().get(PivotctlMarks.IMPORT_RUN));
        GenericKubernetesResource h1 = get(HOSTS, "g1-h1");
        assertEquals(theirPool, h1.getMetadata().getOwnerReferences().get(0).getUid(), "a reference to the adopted global gets its target UID");
        GenericKubernetesResource hw = get(HWD, "g1-h1");
        assertEquals(1, hw.getMetadata().getOwnerReferences().size(), hw.getMetadata().getOwnerReferences().toString());
        assertEquals(theirOwner, hw.getMetadata().getOwnerReferences().get(0).getUid(), "an owner outside the archive is found on the target");
        assertTrue(r.err().contains("HardwareData.metal3.io metal3/g1-h1: ownerReference to ConfigMap g1-nowhere dropped"), r.err());
        // --on-conflict update leaves objects as a fresh import does: unpaused to their archived values
        GenericKubernetesResource c = get(CLUSTERS, "g1-c");
        assertEquals(Map.of("paused", false, "note", "archived"), c.getAdditionalProperties().get("spec"));
        GenericKubernetesResource h0 = get(HOSTS, "g1-h0");
        assertTrue(h0.getMetadata().getAnnotations() == null || !h0.getMetadata().getAnnotations().containsKey(Metal3.HOST_PAUSED),
                "the updated host is not left paused: " + h0.getMetadata().getAnnotations());
        assertNull(get(HOSTS, "g1-h1").getMetadata().getAnnotations().get(Metal3.HOST_PAUSED), "the created host is unpaused as well");
    }

    @Test
    void aRollbackDeletesOnlyTheGlobalsThisRunCreated() throws Exception {
        String theirPool = create(POOLS, pool("g2-a", "x", "theirs")).getMetadata().getUid();
        Path archive = new HandMadeArchive()
                .add(yaml(pool("g2-a", "old-a", "archived")), "globalinclusterippools", 0)
                .add(yaml(pool("g2-b", "old-b", "archived")), "globalinclusterippools", 0)
                .add(yaml(host("g2-h1", "old-h1", ref("ipam.cluster.x-k8s.io/v1beta1", "GlobalInClusterIPPool", "g2-b", "old-b"))), "baremetalhosts", 1)
                .add(yaml(hardware("g2-h1", "old-hw", ref("metal3.io/v1alpha1", "BareMetalHost", "g2-h1", "old-h1"))), "hardwaredata", 2)
                .write(dir.resolve("g2.tar"));
        FaultProxy proxy = servers.targetProxy();
        proxy.add(FaultProxy.Rule.statusOnWrite("POST", "/hardwaredata", 422, 0, 100));
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", proxy.kubeconfig().toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("rolled back 2 change(s)"), r.err());
        assertEquals(theirPool, get(POOLS, "g2-a").getMetadata().getUid(), "the adopted global is never touched by rollback");
        assertNull(get(POOLS, "g2-b"), "the global this run created is rolled back");
        assertNull(get(HOSTS, "g2-h1"));
    }
}

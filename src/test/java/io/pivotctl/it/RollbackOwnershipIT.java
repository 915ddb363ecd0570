package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.FaultProxy;
import io.pivotctl.testing.HandMadeArchive;
import io.pivotctl.testing.ImportWatch;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.TargetReset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback and resume prove ownership (issue 19, point 4), on a real apiserver with the garbage collector running, so a
 * cascade a real cluster would perform happens here too: an object --on-conflict update overwrote gets its previous
 * content back and is not taken by the garbage collector when the owner the run created goes; one changed since is left
 * alone with that owner; --resume refuses an object the interrupted run created that was replaced since; a CRD rollback
 * keeps a CRD that holds an object the run did not create, finalizer and all.
 */
class RollbackOwnershipIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withSourceCrds(CrdSet.fixtures())
            .withFleet(Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("c1", 1, 1)), 1))
            .withTargetNamespace("metal3").withProxiedTarget();

    @TempDir
    static Path dir;

    @AfterEach
    void cleanTarget() {
        servers.targetProxy().reset();
        servers.resetTargetWithoutCrds();
    }

    static KubernetesClient target() {
        return servers.target().client();
    }

    static String unique(String name) {
        return name + "-" + Long.toHexString(System.nanoTime());
    }

    /** A ConfigMap as archived: UID of the source, data, and (when given) an owner of the archive. */
    static com.fasterxml.jackson.databind.node.ObjectNode archived(String name, String uid, String value, String ownerName, String ownerUid) {
        String owner = ownerName == null ? "" : """
                  ownerReferences:
                  - {apiVersion: v1, kind: ConfigMap, name: %s, uid: %s}
                """.formatted(ownerName, ownerUid);
        return HandMadeArchive.yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: metal3
                  uid: %s
                %sdata: {k: "%s"}
                """.formatted(name, uid, owner, value));
    }

    /** owner (level 0), shared (level 1, owned by owner), late (level 2): the create of late is refused, after shared was updated. */
    static Path ownerSharedLate(String owner, String shared, String late) {
        return new HandMadeArchive().add(archived(owner, "src-owner", "owner", null, null), "configmaps", 0)
                .add(archived(shared, "src-shared", "archived", owner, "src-owner"), "configmaps", 1)
                .add(archived(late, "src-late", "late", null, null), "configmaps", 2)
                .write(dir.resolve(unique("a") + ".tar.gz"));
    }

    /** The pre-existing object: someone's ConfigMap with their data and label. */
    static ConfigMap theirs(String name) {
        return target().configMaps().inNamespace("metal3").resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .addToLabels("team", "storage").endMetadata().addToData("k", "0123").build()).create();
    }

    /** Refuses the second real create of a ConfigMap (late's; owner's was the first), as admission might. */
    static void refuseTheSecondConfigMapCreate() {
        servers.targetProxy().add(FaultProxy.Rule.statusOnWrite("POST", "/namespaces/metal3/configmaps", 422, 1, 100));
    }

    /**
     * Proof that the garbage collector is running and has caught up: a ConfigMap whose only owner does not exist is
     * deleted by it. Anything that still named a deleted owner would have been taken by now too.
     */
    static void awaitGarbageCollector() {
        String name = unique("gc-canary");
        target().configMaps().inNamespace("metal3").resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName("gone")
                        .withUid("00000000-0000-0000-0000-00000000dead").build())
                .endMetadata().build()).create();
        TargetReset.await("the garbage collector to delete " + name, () -> target().configMaps().inNamespace("metal3").withName(name).get() == null);
    }

    static String[] importArgs(Path archive, String kubeconfig, String... more) {
        return Cli.concat(new String[] {"import", archive.toString(), "--kubeconfig", kubeconfig}, more);
    }

    /** Someone's ConfigMap {@code shared} on the target, an archive that updates it to be owned by {@code owner}, and late's create refused. */
    record Updated(String owner, String shared, Path archive, ConfigMap before) {
        static Updated prepare() {
            String owner = unique("owner");
            String shared = unique("shared");
            Path archive = ownerSharedLate(owner, shared, unique("late"));
            ConfigMap before = theirs(shared);
            refuseTheSecondConfigMapCreate();
            return new Updated(owner, shared, archive, before);
        }

        /** import --on-conflict update (and {@code more}) through the proxy that refuses late's create: it fails. */
        Cli.Result importFailing(String... more) {
            Cli.Result failed = Cli.run(importArgs(archive, servers.targetProxy().kubeconfig().toString(), Cli.concat(new String[] {"--on-conflict",
                "update"}, more)));
            assertEquals(1, failed.exitCode(), failed.toString());
            return failed;
        }

        ConfigMap now() {
            return target().configMaps().inNamespace("metal3").withName(shared).get();
        }

        /** After the garbage collector caught up: the same object as before, with its previous content and no owner. */
        void assertPreviousContent() {
            awaitGarbageCollector();
            ConfigMap after = now();
            assertNotNull(after, "the garbage collector did not take the pre-existing object with the owner");
            assertEquals(before.getMetadata().getUid(), after.getMetadata().getUid());
            assertEquals(Map.of("k", "0123"), after.getData(), "its previous content, byte for byte");
            assertEquals(Map.of("team", "storage"), after.getMetadata().getLabels());
            assertTrue(after.getMetadata().getOwnerReferences().isEmpty(), "it names no owner, as before");
            assertFalse(after.getMetadata().getAnnotations() != null && after.getMetadata().getAnnotations().containsKey("pivotctl.io/restored-from"));
            assertNull(target().configMaps().inNamespace("metal3").withName(owner).get(), "the owner this run created is rolled back");
        }
    }

    @Test
    void rollbackAfterOnConflictUpdateLeavesThePreExistingObjectWithItsPreviousContent() {
        Updated u = Updated.prepare();
        u.importFailing("--no-rollback");
        assertEquals("archived", u.now().getData().get("k"), "the update landed");
        assertEquals(u.owner(), u.now().getMetadata().getOwnerReferences().get(0).getName(), "and points at the owner this run created");

        Cli.Result r = Cli.run(importArgs(u.archive(), servers.target().kubeconfig().toString(), "--rollback"));

        assertEquals(0, r.exitCode(), r.toString());
        assertTrue((r.out() + r.err()).contains("restored ConfigMap metal3/" + u.shared()), r.toString());
        u.assertPreviousContent();
        assertEquals(List.of(), ImportWatch.journals(servers.home()));
    }

    /**
     * Rollback deletes what this run created with propagationPolicy Orphan: a dependent someone made since under an
     * object of this run (a controller, a person) is not this run's, and the garbage collector must not take it.
     */
    @Test
    void rollbackOrphansADependentSomeoneElseMadeUnderAnObjectThisRunCreated() {
        String owner = unique("owner");
        Path archive = ownerSharedLate(owner, unique("shared"), unique("late"));
        refuseTheSecondConfigMapCreate();
        Cli.Result failed = Cli.run(importArgs(archive, servers.targetProxy().kubeconfig().toString(), "--no-rollback"));
        assertEquals(1, failed.exitCode(), failed.toString());
        ConfigMap created = target().configMaps().inNamespace("metal3").withName(owner).get();
        assertNotNull(created, "the run created the owner before it failed");
        String theirs = unique("theirs");
        target().configMaps().inNamespace("metal3").resource(new ConfigMapBuilder().withNewMetadata().withName(theirs)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName(owner)
                        .withUid(created.getMetadata().getUid()).build())
                .endMetadata().addToData("k", "theirs").build()).create();

        Cli.Result r = Cli.run(importArgs(archive, servers.target().kubeconfig().toString(), "--rollback"));

        assertEquals(0, r.exitCode(), r.toString());
        assertNull(target().configMaps().inNamespace("metal3").withName(owner).get(), "the owner this run created is gone when the rollback returns");
        awaitGarbageCollector();
        ConfigMap after = target().configMaps().inNamespace("metal3").withName(theirs).get();
        assertNotNull(after, "the garbage collector took someone's object with the owner this run created");
        assertEquals(Map.of("k", "theirs"), after.getData());
        assertTrue(after.getMetadata().getOwnerReferences().isEmpty(), "orphaned: the reference to the deleted owner is gone");
    }

    /** The journal is named by the target's cluster id: one that cannot be read stops the import, never "unknown". */
    @Test
    void anUnreadableClusterIdIsAnErrorAndNothingIsWritten() {
        String name = unique("no-id");
        Path archive = new HandMadeArchive().add(archived(name, "src-no-id", "v", null, null), "configmaps", 0)
                .write(dir.resolve(unique("no-id") + ".tar.gz"));
        servers.targetProxy().add(FaultProxy.Rule.status("GET", "/api/v1/namespaces/kube-system", 403, 1000));

        Cli.Result r = Cli.run(importArgs(archive, servers.targetProxy().kubeconfig().toString()));

        assertEquals(1, r.exitCode(), r.toString());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error")).toList();
        assertEquals(1, errors.size(), "one line: " + r.err());
        assertTrue(errors.get(0).contains("cannot read the target's cluster id"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertNull(target().configMaps().inNamespace("metal3").withName(name).get(), "nothing written");
        assertEquals(List.of(), ImportWatch.journals(servers.home()), "no journal named 'unknown'");
    }

    @Test
    void theRollbackAfterAFailedUpdateRunRestoresThePreExistingObjectToo() {
        Updated u = Updated.prepare();

        Cli.Result r = u.importFailing();

        assertTrue(r.err().contains("rolled back 2 change(s)"), r.err());
        u.assertPreviousContent();
    }

    @Test
    void anObjectChangedSinceTheUpdateIsLeftAloneAndKeepsTheOwnerItNames() {
        Updated u = Updated.prepare();
        u.importFailing("--no-rollback");
        // someone edits the object after the import updated it: that edit is theirs, and must not be overwritten
        target().configMaps().inNamespace("metal3").withName(u.shared()).edit(c -> {
            c.getData().put("k", "edited by a person at 2 a.m.");
            return c;
        });

        Cli.Result r = Cli.run(importArgs(u.archive(), servers.target().kubeconfig().toString(), "--rollback"));

        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("ConfigMap metal3/" + u.shared() + " (updated by this import, but changed since"), r.err());
        assertTrue(r.err().contains("ConfigMap metal3/" + u.owner() + " (created by this import, but kept"), r.err());
        awaitGarbageCollector();
        assertNotNull(u.now(), "the owner it names stayed, so the garbage collector left it");
        assertEquals("edited by a person at 2 a.m.", u.now().getData().get("k"));
        assertNotNull(target().configMaps().inNamespace("metal3").withName(u.owner()).get());
    }

    /** Exit code 3: a replaced object is a preflight conflict, like any existing object under --on-conflict fail. */
    @Test
    void resumeRefusesAReplacedObject() {
        String first = unique("first");
        Path archive = new HandMadeArchive().add(archived(first, "src-first", "ours", null, null), "configmaps", 0)
                .add(archived(unique("second"), "src-second", "ours", null, null), "configmaps", 1)
                .write(dir.resolve(unique("r") + ".tar.gz"));
        servers.targetProxy().add(FaultProxy.Rule.statusOnWrite("POST", "/namespaces/metal3/configmaps", 422, 1, 100));
        Cli.Result failed = Cli.run(importArgs(archive, servers.targetProxy().kubeconfig().toString(), "--no-rollback"));
        assertEquals(1, failed.exitCode(), failed.toString());
        // someone deletes the object the run created and puts their own under the same name
        target().configMaps().inNamespace("metal3").withName(first).delete();
        TargetReset.await(first + " gone", () -> target().configMaps().inNamespace("metal3").withName(first).get() == null);
        ConfigMap replaced = theirs(first);

        Cli.Result r = Cli.run(importArgs(archive, servers.target().kubeconfig().toString(), "--resume"));

        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("ConfigMap metal3/" + first + " was created by the interrupted run"), r.err());
        assertTrue(r.err().contains("the object there now is another one (UID " + replaced.getMetadata().getUid() + ")"), r.err());
        ConfigMap after = target().configMaps().inNamespace("metal3").withName(first).get();
        assertEquals(replaced.getMetadata().getUid(), after.getMetadata().getUid());
        assertEquals(Map.of("k", "0123"), after.getData(), "not written");
        assertNull(after.getMetadata().getLabels().get("pivotctl.io/import-run"), "not adopted");
        assertEquals(1, ImportWatch.journals(servers.home()).size(), "the journal stays for --resume once the target is fixed, or --rollback");

        Cli.Result rollback = Cli.run(importArgs(archive, servers.target().kubeconfig().toString(), "--rollback"));
        assertEquals(0, rollback.exitCode(), rollback.toString());
        awaitGarbageCollector();
        assertEquals(replaced.getMetadata().getUid(), target().configMaps().inNamespace("metal3").withName(first).get().getMetadata().getUid(),
                "--rollback leaves their object alone too");
    }

    static final ResourceDefinitionContext BMH = new ResourceDefinitionContext.Builder().withGroup("metal3.io").withVersion("v1alpha1")
            .withKind("BareMetalHost").withPlural("baremetalhosts").withNamespaced(true).build();

    @Test
    void crdRollbackKeepsWhatItDidNotCreate() {
        Path archive = servers.key().exportMetal3(servers.source(), dir.resolve(unique("crds") + ".tar.gz"));
        servers.targetProxy().add(FaultProxy.Rule.statusOnWrite("POST", "/hardwaredata", 422, 0, 1000));
        Cli.Result failed = Cli.run(importArgs(archive, servers.targetProxy().kubeconfig().toString(), "--identity",
                servers.key().identity().toString(), "--install-crds", "--no-rollback"));
        assertEquals(1, failed.exitCode(), failed.toString());
        String crdUid = target().apiextensions().v1().customResourceDefinitions().withName("baremetalhosts.metal3.io").get().getMetadata().getUid();
        // someone creates a host of theirs with the CRD this run installed
        servers.target().ensureNamespace("site-b");
        GenericKubernetesResource host = new GenericKubernetesResource();
        host.setApiVersion("metal3.io/v1alpha1");
        host.setKind("BareMetalHost");
        host.setMetadata(new ObjectMetaBuilder().withName("worker-7").withNamespace("site-b").build());
        host.setAdditionalProperty("spec", Map.of("online", false, "bootMACAddress", "00:5c:52:31:3a:9c"));
        String hostUid = target().genericKubernetesResources(BMH).inNamespace("site-b").resource(host).create().getMetadata().getUid();

        Cli.Result r = Cli.run(importArgs(archive, servers.target().kubeconfig().toString(), "--rollback"));

        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("CustomResourceDefinition.apiextensions.k8s.io baremetalhosts.metal3.io (created by this import, but it holds 1 "
                + "custom resource(s) this import did not create: site-b/worker-7"), r.err());
        awaitGarbageCollector();
        var crd = target().apiextensions().v1().customResourceDefinitions().withName("baremetalhosts.metal3.io").get();
        assertNotNull(crd, "the CRD holding their host stays");
        assertEquals(crdUid, crd.getMetadata().getUid());
        assertNull(crd.getMetadata().getDeletionTimestamp(), "not even being deleted (the apiserver adds customresourcecleanup only then)");
        assertEquals(hostUid, target().genericKubernetesResources(BMH).inNamespace("site-b").withName("worker-7").get().getMetadata().getUid());
        assertEquals(List.of(), target().genericKubernetesResources(BMH).inNamespace("metal3").list().getItems(), "the run's own hosts are rolled back");
        TargetReset.await("a CRD this run created that holds nothing of anyone else's to be rolled back",
                () -> target().apiextensions().v1().customResourceDefinitions().withName("hardwaredata.metal3.io").get() == null);
    }

    /** The pause annotation BMO honours, and the value pivotctl writes into it. */
    static final String PAUSED = "baremetalhost.metal3.io/paused";

    static Map<String, String> pauses() {
        Map<String, String> out = new java.util.TreeMap<>();
        target().genericKubernetesResources(BMH).inNamespace("metal3").list().getItems().forEach(h -> out.put(h.getMetadata().getName(),
                h.getMetadata().getAnnotations() == null ? "-" : h.getMetadata().getAnnotations().getOrDefault(PAUSED, "-")));
        return out;
    }

    @Test
    void theResumedUnpauseLiftsOnlyPivotctlsPauseOnTheObjectsThisRunWrote() {
        io.pivotctl.testing.Crds.installFixtures(target());
        Path archive = servers.key().exportMetal3(servers.source(), dir.resolve(unique("unpause") + ".tar.gz"));
        servers.targetProxy().add(FaultProxy.Rule.statusOnWrite("PATCH", "/baremetalhosts/", 403, 0, 100));
        Cli.Result failed = Cli.run(importArgs(archive, servers.targetProxy().kubeconfig().toString(), "--identity", servers.key().identity().toString()));
        assertEquals(1, failed.exitCode(), failed.toString());
        assertTrue(failed.err().contains("every object is in place, but unpausing failed"), failed.err());
        assertEquals(Map.of("c1-node-0", "pivotctl", "c1-node-1", "pivotctl", "spare-0", "pivotctl"), pauses());
        // a person pauses one host for maintenance; someone replaces another with a host of theirs, paused as pivotctl would
        var hosts = target().genericKubernetesResources(BMH).inNamespace("metal3");
        hosts.withName("c1-node-0").edit(h -> {
            h.getMetadata().getAnnotations().put(PAUSED, "maintenance");
            return h;
        });
        hosts.withName("spare-0").edit(h -> {
            h.getMetadata().setFinalizers(List.of());
            return h;
        });
        hosts.withName("spare-0").delete();
        TargetReset.await("spare-0 gone", () -> hosts.withName("spare-0").get() == null);
        GenericKubernetesResource theirs = new GenericKubernetesResource();
        theirs.setApiVersion("metal3.io/v1alpha1");
        theirs.setKind("BareMetalHost");
        theirs.setMetadata(new ObjectMetaBuilder().withName("spare-0").withNamespace("metal3").addToAnnotations(PAUSED, "pivotctl").build());
        theirs.setAdditionalProperty("spec", Map.of("online", false));
        String theirUid = hosts.resource(theirs).create().getMetadata().getUid();

        Cli.Result r = Cli.run(importArgs(archive, servers.target().kubeconfig().toString(), "--identity", servers.key().identity().toString(),
                "--resume", "--on-conflict", "skip"));

        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("BareMetalHost.metal3.io metal3/spare-0 was not unpaused: it was replaced by another object"), r.err());
        assertEquals(Map.of("c1-node-0", "maintenance", "c1-node-1", "-", "spare-0", "pivotctl"), pauses(),
                "only pivotctl's pause on the hosts this run created is lifted");
        assertEquals(theirUid, hosts.withName("spare-0").get().getMetadata().getUid());
    }
}

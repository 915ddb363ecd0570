package io.pivotctl.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.BmoStandIn;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.InventoryLoader;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.TestKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pivotctl release-source} against real apiservers running the garbage collector, as real clusters do:
 * refusals change nothing, the plan writes nothing, a detach timeout leaves every host in place, and a re-run with a
 * BMO stand-in ({@link BmoStandIn}) deletes exactly what the plan deletes, hosts only once detached, and leaves noise,
 * a replaced object, hosts paused by CAPM3 or a person, and what they still use alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseSourceIT {

    static final String NS = "metal3";
    static final String BMH = "metal3.io/v1alpha1";

    static final List<ObjectNode> INVENTORY = Metal3Fleet.of(NS, List.of(new Metal3Fleet.ClusterSpec("prod-a", 2, 1)), 3);

    /** Source and target serve the upstream CRDs; the source holds the inventory. */
    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withCrds(CrdSet.upstream()).withFleet(INVENTORY);

    @TempDir
    static Path dir;

    static TestKey key;
    static Path archive;
    static Path unpausedArchive;
    static String replacedSecretUid;
    static String replacedHostUid;

    /** Released hosts and what is left alone, by design of the fixture. */
    static final List<String> RELEASED_HOSTS = List.of("prod-a-node-0", "prod-a-node-1", "spare-0");
    static final String CAPM3_PAUSED = "prod-a-node-2";
    static final String PERSON_PAUSED = "spare-1";
    static final String REPLACED_HOST = "spare-2";
    static final String REPLACED_SECRET = "prod-a-ca";

    @BeforeAll
    static void setUp() {
        // noise: another namespace that is not exported
        InventoryLoader.load(servers.source().kubeconfig(), Metal3Fleet.of("other", List.of(), 1), 4);
        KubernetesClient src = servers.source().client();
        annotate(src, CAPM3_PAUSED, "baremetalhost.metal3.io/paused", "metal3.io/capm3");
        annotate(src, PERSON_PAUSED, "baremetalhost.metal3.io/paused", "alice: firmware update");
        // finalizers nothing would remove on a server without controllers: the release must
        generic(src, "cluster.x-k8s.io/v1beta2", "Cluster").inNamespace(NS).withName("prod-a")
                .edit(c -> { c.getMetadata().setFinalizers(List.of("cluster.cluster.x-k8s.io")); return c; });
        hosts(src).withName("prod-a-node-0").edit(h -> { h.getMetadata().setFinalizers(List.of("baremetalhost.metal3.io")); return h; });
        src.secrets().inNamespace(NS).withName("prod-a-node-0-bmc-secret")
                .edit(s -> { s.getMetadata().setFinalizers(List.of("baremetalhost.metal3.io/secret")); return s; });

        key = servers.key();
        archive = key.exportMetal3(servers.source(), dir.resolve("pivot.tar.gz"), "--pause");
        unpausedArchive = key.exportMetal3(servers.source(), dir.resolve("no-pause.tar.gz"));

        // after the export: a new object in the namespace, and two archived objects replaced by same-named ones
        src.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("noise-after-export").endMetadata()
                .addToStringData("k", "v").build()).create();
        Secret ca = src.secrets().inNamespace(NS).withName(REPLACED_SECRET).get();
        src.secrets().inNamespace(NS).withName(REPLACED_SECRET).delete();
        awaitGone(() -> src.secrets().inNamespace(NS).withName(REPLACED_SECRET).get());
        replacedSecretUid = src.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(REPLACED_SECRET)
                .withLabels(ca.getMetadata().getLabels()).endMetadata().withType(ca.getType()).withData(ca.getData()).build()).create()
                .getMetadata().getUid();
        GenericKubernetesResource host = hosts(src).withName(REPLACED_HOST).get();
        // replaced as an operator would: kubectl delete --cascade=orphan, so the garbage collector keeps its BMC Secret and HardwareData
        hosts(src).withName(REPLACED_HOST).withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.ORPHAN).delete();
        awaitGone(() -> hosts(src).withName(REPLACED_HOST).get());
        GenericKubernetesResource copy = new GenericKubernetesResource();
        copy.setApiVersion(BMH);
        copy.setKind("BareMetalHost");
        copy.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(REPLACED_HOST).withNamespace(NS).build());
        copy.setAdditionalProperty("spec", host.getAdditionalProperties().get("spec"));
        replacedHostUid = hosts(src).resource(copy).create().getMetadata().getUid();
    }

    @Test
    @Order(1)
    void refusalsExitThreeAndChangeNothing() {
        Map<String, String> before = snapshot();
        Cli.Result noPause = release(unpausedArchive, "--yes", "--skip-verify");
        assertEquals(3, noPause.exitCode(), noPause.toString());
        assertTrue(noPause.err().contains("not exported with --pause"), noPause.err());

        Cli.Result unverified = release(archive, "--yes");
        assertEquals(3, unverified.exitCode(), unverified.toString());
        assertTrue(unverified.err().contains("--verified-on TARGET_KUBECONFIG") && unverified.err().contains("--skip-verify"), unverified.err());

        Cli.Result emptyTarget = release(archive, "--yes", "--verified-on", servers.target().kubeconfig().toString());
        assertEquals(3, emptyTarget.exitCode(), emptyTarget.toString());
        assertTrue(emptyTarget.err().contains("is not verified") && emptyTarget.err().contains("MISSING"), emptyTarget.err());

        Cli.Result itself = release(archive, "--yes", "--verified-on", servers.source().kubeconfig().toString());
        assertEquals(3, itself.exitCode(), itself.toString());
        assertTrue(itself.err().contains("source cluster itself"), itself.err());

        Cli.Result noKey = Cli.run("release-source", archive.toString(), "--kubeconfig", servers.source().kubeconfig().toString(), "--skip-verify", "--yes");
        assertEquals(2, noKey.exitCode(), noKey.toString());
        assertTrue(noKey.err().contains("--identity"), noKey.err());

        assertEquals(before, snapshot(), "a refusal writes nothing");
        assertFalse(Files.exists(servers.home().resolve("journal")), "nor a journal");
    }

    @Test
    @Order(2)
    void thePlanNamesWhatWouldGoAndWritesNothing() {
        Map<String, String> before = snapshot();
        Cli.Result plan = release(archive);
        assertEquals(0, plan.exitCode(), plan.toString());
        String out = plan.out();
        for (String h : RELEASED_HOSTS) {
            assertTrue(line(out, "BareMetalHost.metal3.io metal3/" + h).startsWith("detach+delete "), h + "\n" + out);
        }
        assertTrue(line(out, "BareMetalHost.metal3.io metal3/" + CAPM3_PAUSED).contains("paused by 'metal3.io/capm3'"), out);
        assertTrue(line(out, "BareMetalHost.metal3.io metal3/" + PERSON_PAUSED).contains("paused by 'alice: firmware update'"), out);
        assertTrue(line(out, "BareMetalHost.metal3.io metal3/" + REPLACED_HOST).contains("another object with this name"), out);
        assertTrue(line(out, "Secret metal3/" + REPLACED_HOST + "-bmc-secret").contains("used by BareMetalHost.metal3.io metal3/" + REPLACED_HOST), out);
        assertTrue(line(out, "Secret metal3/" + REPLACED_SECRET).contains("another object with this name"), out);
        // the host CAPM3 paused stays, and with it what it uses: its Metal3Machine, that one's Machine, ... up to the Cluster
        assertTrue(line(out, "Metal3Machine.infrastructure.cluster.x-k8s.io metal3/prod-a-workers-7d4f9-w0")
                .contains("used by BareMetalHost.metal3.io metal3/" + CAPM3_PAUSED), out);
        assertTrue(line(out, "Cluster.cluster.x-k8s.io metal3/prod-a").startsWith("LEFT ALONE ") && line(out, "Cluster.cluster.x-k8s.io metal3/prod-a")
                .contains("used by"), out);
        assertTrue(line(out, "Machine.cluster.x-k8s.io metal3/prod-a-cp-0").startsWith("delete "), out);
        assertTrue(out.contains("Nothing was changed"), out);
        // dependents before owners: a KubeadmConfig is listed (and deleted) before its Machine
        assertTrue(out.indexOf(line(out, "KubeadmConfig.bootstrap.cluster.x-k8s.io metal3/prod-a-cp-0"))
                < out.indexOf(line(out, "Machine.cluster.x-k8s.io metal3/prod-a-cp-0")), out);
        assertTrue(out.indexOf(line(out, "BareMetalHost.metal3.io metal3/spare-0")) < out.indexOf(line(out, "Secret metal3/spare-0-bmc-secret")),
                "a host before its BMC Secret: " + out);
        assertEquals(before, snapshot(), "the plan writes nothing");
    }

    @Test
    @Order(3)
    void aDetachTimeoutLeavesEveryHostInPlaceWithAClearMessage() {
        Cli.Result imp = Cli.run("import", archive.toString(), "--kubeconfig", servers.target().kubeconfig().toString(), "--identity",
                key.identity().toString(), "-q");
        assertEquals(0, imp.exitCode(), imp.toString());
        Set<String> before = snapshot().keySet();
        // no BMO runs: nothing ever reports detached
        Cli.Result r = release(archive, "--yes", "--verified-on", servers.target().kubeconfig().toString(), "--detach-timeout", "2s");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("timed out after 2s waiting for BMO") && r.err().contains("Nothing was deleted")
                && r.err().contains("run release-source again"), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("error:")).count(), r.err());
        assertEquals(before, snapshot().keySet(), "every object is still there");
        for (String h : RELEASED_HOSTS) {
            Map<String, String> a = hosts(servers.source().client()).withName(h).get().getMetadata().getAnnotations();
            assertEquals("{\"deleteAction\":\"delete\"}", a.get("baremetalhost.metal3.io/detached"), h);
            assertNull(a.get("baremetalhost.metal3.io/paused"), h + ": pivotctl's pause lifted in the same write");
        }
        Map<String, String> capm3 = hosts(servers.source().client()).withName(CAPM3_PAUSED).get().getMetadata().getAnnotations();
        assertEquals("metal3.io/capm3", capm3.get("baremetalhost.metal3.io/paused"));
        assertFalse(capm3.containsKey("baremetalhost.metal3.io/detached"), "a host paused by CAPM3 is not touched");
        Path journal = onlyJournal();
        assertEquals("rw-------", PosixFilePermissions.toString(uncheckedPermissions(journal)));
    }

    @Test
    @Order(4)
    void ctrlCWhileWaitingForBmoStopsBeforeAnyDeleteAndSaysHowToFinish() throws Exception {
        io.pivotctl.testing.Sigint.assumeDeliverable();
        Set<String> before = snapshot().keySet();
        Path stderr = dir.resolve("release.err");
        ProcessBuilder pb = servers.process("release-source", archive.toString(), "--kubeconfig", servers.source().kubeconfig().toString(),
                "--identity", key.identity().toString(), "--skip-verify", "--yes", "--detach-timeout", "5m")
                .redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.readString(stderr).contains("waiting for BMO") && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(p.isAlive(), Files.readString(stderr));
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), () -> "ends soon after Ctrl-C: " + uncheckedRead(stderr));
        String err = Files.readString(stderr);
        assertNotEquals(0, p.exitValue(), err);
        assertTrue(err.contains("interrupted (Ctrl-C/SIGTERM)") && err.contains("0 object(s) deleted") && err.contains("run release-source again"), err);
        assertFalse(err.contains("nothing partial was left behind"), "no false comfort: " + err);
        assertEquals(before, snapshot().keySet(), "nothing deleted");
    }

    @Test
    @Order(5)
    void aReRunWithBmoDetachingDeletesExactlyWhatThePlanDeletesHostsOnlyOnceDetached() throws Exception {
        KubernetesClient src = servers.source().client();
        Map<String, String> planned = plannedDeletes(archive);
        Map<String, String> before = io.pivotctl.testing.LiveObjects.byUid(src, INVENTORY, List.of(NS, "other"));
        Map<String, String> deletedHostState = new ConcurrentHashMap<>();
        try (Watch w = hosts(src).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource h) {
                if (action == Action.DELETED) {
                    Map<?, ?> status = (Map<?, ?>) h.getAdditionalProperties().get("status");
                    Map<String, String> ann = h.getMetadata().getAnnotations() == null ? Map.of() : h.getMetadata().getAnnotations();
                    deletedHostState.put(h.getMetadata().getName(), (status == null ? "no status" : String.valueOf(status.get("operationalStatus")))
                            + "/" + ann.containsKey("baremetalhost.metal3.io/detached") + "/" + ann.get("baremetalhost.metal3.io/paused"));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        }); BmoStandIn bmo = BmoStandIn.start(src, NS)) {
            Cli.Result r = release(archive, "--yes", "--verified-on", servers.target().kubeconfig().toString(), "--detach-timeout", "60s");
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.out().contains("RELEASED"), r.out());
            io.pivotctl.testing.LiveObjects.awaitSettled(servers.source(), INVENTORY, List.of(NS, "other"));
        }
        assertEquals(new java.util.TreeSet<>(RELEASED_HOSTS), new java.util.TreeSet<>(deletedHostState.keySet()), "exactly the released hosts were deleted");
        deletedHostState.forEach((h, state) -> assertEquals("detached/true/null", state, h + " was deleted before BMO detached it"));

        Map<String, String> gone = io.pivotctl.testing.LiveObjects.gone(before, io.pivotctl.testing.LiveObjects.byUid(src, INVENTORY, List.of(NS, "other")));
        assertEquals(planned.keySet(), gone.keySet(), "deleted: exactly what the plan deletes, nothing by the garbage collector\nplanned "
                + planned.values() + "\ngone " + gone.values());
        for (String kept : List.of("BareMetalHost/" + CAPM3_PAUSED, "HardwareData/" + CAPM3_PAUSED, "Secret/" + CAPM3_PAUSED + "-bmc-secret",
                "BareMetalHost/" + PERSON_PAUSED, "HardwareData/" + PERSON_PAUSED, "Secret/" + PERSON_PAUSED + "-bmc-secret",
                "BareMetalHost/" + REPLACED_HOST, "Secret/" + REPLACED_HOST + "-bmc-secret", "Secret/" + REPLACED_SECRET, "Cluster/prod-a")) {
            assertTrue(snapshot().containsKey(NS + "/" + kept), kept + " is left alone");
        }
        assertEquals(replacedSecretUid, src.secrets().inNamespace(NS).withName(REPLACED_SECRET).get().getMetadata().getUid());
        assertEquals(replacedHostUid, hosts(src).withName(REPLACED_HOST).get().getMetadata().getUid());
        assertNotNull(src.secrets().inNamespace(NS).withName("noise-after-export").get());
        assertEquals(Metal3Fleet.of("other", List.of(), 1).size(), snapshot().keySet().stream().filter(k -> k.startsWith("other/")).count(),
                "nothing outside the archive is touched");
        assertNotEquals(0, servers.target().client().genericKubernetesResources(BMH, "BareMetalHost").inNamespace(NS).list().getItems().size());
    }

    /** uid to object of every DELETE and DETACH_DELETE step of the plan (-o json). */
    static Map<String, String> plannedDeletes(Path a) throws Exception {
        Cli.Result plan = release(a, "-o", "json");
        assertEquals(0, plan.exitCode(), plan.toString());
        Map<String, String> out = new TreeMap<>();
        for (com.fasterxml.jackson.databind.JsonNode st : io.pivotctl.Json.MAPPER.readTree(plan.out()).path("steps")) {
            if (Set.of("DELETE", "DETACH_DELETE").contains(st.path("action").asText())) {
                out.put(st.path("uid").asText(), st.path("object").asText());
            }
        }
        return out;
    }

    @Test
    @Order(6)
    void aFinishedReleaseIsIdempotentAndThePlanSaysWhatItDeletedEarlier() throws Exception {
        Map<String, String> before = snapshot();
        Cli.Result again = release(archive, "--yes", "--skip-verify");
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().contains("0 host(s) detached, 0 object(s) deleted"), again.out());
        assertEquals(before, snapshot());
        Cli.Result plan = release(archive);
        assertTrue(line(plan.out(), "Machine.cluster.x-k8s.io metal3/prod-a-cp-0").contains("deleted by an earlier release-source run"), plan.out());
        Cli.Result json = release(archive, "-o", "json");
        assertEquals(0, json.exitCode(), json.toString());
        com.fasterxml.jackson.databind.JsonNode j = io.pivotctl.Json.MAPPER.readTree(json.out());
        assertFalse(j.path("executed").asBoolean(true));
        com.fasterxml.jackson.databind.JsonNode machine = null;
        int notReleased = 0;
        for (com.fasterxml.jackson.databind.JsonNode st : j.path("steps")) {
            if (st.path("object").asText().equals("Machine.cluster.x-k8s.io metal3/prod-a-cp-0")) {
                machine = st;
            }
            notReleased += Set.of("LEFT_ALONE", "NOT_PAUSED").contains(st.path("action").asText()) ? 1 : 0;
        }
        assertNotNull(machine, json.out());
        assertEquals("GONE", machine.path("action").asText());
        assertEquals(notReleased, j.path("leftAlone").size(), json.out());
        assertTrue(notReleased >= 10, json.out());
    }

    @Test
    @Order(7)
    void everyPatchAndDeleteIsRefusedForAnotherUidOrAnotherVersionAndDeletesOrphan() {
        KubernetesClient src = servers.source().client();
        var owner = src.configMaps().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("guarded").endMetadata().addToData("k", "v").build()).create();
        String uid = owner.getMetadata().getUid();
        src.configMaps().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("guarded-dependent")
                .withOwnerReferences(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
                        .withName("guarded").withUid(uid).build()).endMetadata().build()).create();
        String otherUid = java.util.UUID.randomUUID().toString();
        var id = new io.pivotctl.graph.ObjectId("", "ConfigMap", NS, "guarded");
        var type = io.pivotctl.kube.ResourceType.CONFIG_MAP;
        try (var conn = io.pivotctl.kube.KubeConnector.connect(io.pivotctl.kube.KubeTarget.of(servers.source().kubeconfig(), null))) {
            GuardedWrites w = new GuardedWrites(conn);
            ObjectNode patch = io.pivotctl.Json.MAPPER.createObjectNode();
            patch.with("data").put("k", "changed");
            String version = owner.getMetadata().getResourceVersion();
            org.junit.jupiter.api.Assertions.assertThrows(GuardedWrites.NotTheArchivedObject.class, () -> w.patch(type, id, otherUid, null, patch));
            org.junit.jupiter.api.Assertions.assertThrows(GuardedWrites.NotTheArchivedObject.class, () -> w.removeFinalizers(type, id, otherUid, version));
            org.junit.jupiter.api.Assertions.assertThrows(GuardedWrites.NotTheArchivedObject.class, () -> w.delete(type, id, otherUid, version));
            src.configMaps().inNamespace(NS).withName("guarded").edit(c -> { c.getData().put("someone", "else"); return c; });
            org.junit.jupiter.api.Assertions.assertThrows(GuardedWrites.NotTheArchivedObject.class, () -> w.delete(type, id, uid, version),
                    "a delete with the resourceVersion read before a change is refused");
            assertEquals("v", src.configMaps().inNamespace(NS).withName("guarded").get().getData().get("k"), "nothing written for another UID");
            assertTrue(w.delete(type, id, uid, src.configMaps().inNamespace(NS).withName("guarded").get().getMetadata().getResourceVersion()));
            io.pivotctl.testing.LiveObjects.awaitSettled(servers.source(), INVENTORY, List.of(NS));
            assertNull(src.configMaps().inNamespace(NS).withName("guarded").get());
            var dependent = src.configMaps().inNamespace(NS).withName("guarded-dependent").get();
            assertNotNull(dependent, "the delete orphans: the garbage collector keeps the dependent");
            assertTrue(dependent.getMetadata().getOwnerReferences() == null || dependent.getMetadata().getOwnerReferences().isEmpty());
            assertFalse(w.delete(type, id, uid, null), "already gone");
            assertNull(w.removeFinalizers(type, id, uid, null));
        }
    }

    @Test
    @Order(8)
    void detachTimeoutZeroIsForASourceWhoseBmoIsGone() {
        KubernetesClient src = servers.source().client();
        // what is left: the replaced spare-2 (unpaused) and the hosts paused by CAPM3 and by a person
        Path second = key.exportMetal3(servers.source(), dir.resolve("second.tar.gz"), "--pause");
        Cli.Result r = release(second, "--yes", "--skip-verify", "--detach-timeout", "0");
        assertEquals(0, r.exitCode(), r.toString());
        assertFalse(r.err().contains("waiting for BMO"), r.err());
        assertNull(hosts(src).withName(REPLACED_HOST).get(), "detached and deleted without waiting");
        assertNotNull(hosts(src).withName(CAPM3_PAUSED).get());
        assertNotNull(hosts(src).withName(PERSON_PAUSED).get());
    }

    // ---- helpers

    static Cli.Result release(Path a, String... extra) {
        List<String> args = new ArrayList<>(List.of("release-source", a.toString(), "--kubeconfig", servers.source().kubeconfig().toString(),
                "--identity", key.identity().toString(), "--poll-interval", "1s"));
        args.addAll(List.of(extra));
        return Cli.run(args);
    }

    /** The plan line of one object (its id followed by a blank or the end of the line). */
    static String line(String out, String object) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("\\s" + java.util.regex.Pattern.quote(object) + "(\\s|$)");
        return out.lines().filter(l -> p.matcher(l).find()).findFirst().orElse("(no line with " + object + ")");
    }

    /** "ns/Kind/name" -> resourceVersion of every object of the inventory's kinds in metal3 and other. */
    static Map<String, String> snapshot() {
        KubernetesClient c = servers.source().client();
        Set<String> kinds = new LinkedHashSet<>();
        INVENTORY.forEach(o -> kinds.add(o.path("apiVersion").asText() + " " + o.path("kind").asText()));
        Map<String, String> out = new TreeMap<>();
        for (String k : kinds) {
            String[] p = k.split(" ");
            for (String ns : List.of(NS, "other")) {
                for (GenericKubernetesResource r : generic(c, p[0], p[1]).inNamespace(ns).list().getItems()) {
                    if (p[1].equals("Secret") && r.getMetadata().getName().startsWith("default-token")) {
                        continue;
                    }
                    out.put(ns + "/" + p[1] + "/" + r.getMetadata().getName(), r.getMetadata().getResourceVersion());
                }
            }
        }
        return out;
    }

    static MixedOperation<GenericKubernetesResource, io.fabric8.kubernetes.api.model.GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            generic(KubernetesClient c, String api, String kind) {
        return c.genericKubernetesResources(api, kind);
    }

    static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource, io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> hosts(KubernetesClient c) {
        return generic(c, BMH, "BareMetalHost").inNamespace(NS);
    }

    static void annotate(KubernetesClient c, String host, String key, String value) {
        hosts(c).withName(host).edit(h -> {
            Map<String, String> a = h.getMetadata().getAnnotations() == null ? new HashMap<>() : new HashMap<>(h.getMetadata().getAnnotations());
            a.put(key, value);
            h.getMetadata().setAnnotations(a);
            return h;
        });
    }

    static void awaitGone(java.util.function.Supplier<Object> get) {
        io.pivotctl.testing.TargetReset.await("deleted", () -> get.get() == null);
    }

    static Path onlyJournal() {
        try (var files = Files.list(servers.home().resolve("journal"))) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            assertTrue(all.get(0).getFileName().toString().startsWith("release-"), all.toString());
            return all.get(0);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static Set<java.nio.file.attribute.PosixFilePermission> uncheckedPermissions(Path p) {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static String uncheckedRead(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}

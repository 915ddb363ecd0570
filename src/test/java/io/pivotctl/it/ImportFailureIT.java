package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.Crds;
import io.pivotctl.testing.ImportWatch;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.TargetReset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Import must never leave the target half-restored. The source uses pivotctl's open-schema CRD fixtures
 * and holds one host whose status the real BareMetalHost schema rejects (operationalStatus not in its
 * enum): the server-side dry run cannot see status, so the failure happens mid-apply, on a real server.
 * Each test sets up the target it needs (CRDs or none, the metal3 namespace) and starts without objects or journals,
 * so the tests run alone or in any order.
 */
class ImportFailureIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withSourceCrds(CrdSet.fixtures()).withFleet(brokenFleet())
            // no archived object, Secret, ConfigMap or journal is on the target before a test
            .withTargetResetBeforeEach();

    @TempDir
    static Path dir;

    static Path archive;
    static Path identity;
    static String target;

    /** One host carries a status the real schema rejects and a spec field it does not know. */
    static List<ObjectNode> brokenFleet() {
        List<ObjectNode> inv = Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("prod-a", 3, 2)), 1);
        for (ObjectNode o : inv) {
            if (o.path("metadata").path("name").asText().equals("prod-a-node-4") && o.path("kind").asText().equals("BareMetalHost")) {
                o.with("status").put("operationalStatus", "not-a-valid-state");
                o.with("spec").put("madeUpField", "the target's schema does not know this");
            }
        }
        return inv;
    }

    @BeforeAll
    static void exportBrokenSource() {
        identity = servers.key().identity();
        archive = servers.key().exportMetal3(servers.source(), dir.resolve("a.tar.gz"));
        target = servers.target().kubeconfig().toString();
    }

    /** The target serves the upstream CRDs (the real, strict schemas) and has the metal3 namespace. */
    static void upstreamTarget() {
        KubernetesClient c = servers.target().client();
        if (c.apiextensions().v1().customResourceDefinitions().withName("baremetalhosts.metal3.io").get() == null) {
            Crds.installUpstream(c);
        }
        servers.target().ensureNamespace("metal3");
    }

    static int objectsOnTarget() {
        KubernetesClient c = servers.target().client();
        int n = 0;
        for (CustomResourceDefinition crd : c.apiextensions().v1().customResourceDefinitions().list().getItems()) {
            String v = crd.getSpec().getVersions().stream().filter(x -> x.getStorage()).findFirst().orElseThrow().getName();
            // by explicit context: a CRD created a moment ago may not be in the client's discovery cache yet
            var context = new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder().withGroup(crd.getSpec().getGroup())
                    .withVersion(v).withKind(crd.getSpec().getNames().getKind()).withPlural(crd.getSpec().getNames().getPlural())
                    .withNamespaced("Namespaced".equals(crd.getSpec().getScope())).build();
            n += c.genericKubernetesResources(context).inAnyNamespace().list().getItems().size();
        }
        n += c.secrets().inNamespace("metal3").list().getItems().stream().filter(s -> !s.getType().startsWith("kubernetes.io/service-account")).count();
        n += c.configMaps().inNamespace("metal3").list().getItems().stream().filter(s -> !s.getMetadata().getName().equals("kube-root-ca.crt")).count();
        return n;
    }

    static long journals() {
        return ImportWatch.journals(servers.home()).size();
    }

    @Test
    void missingCrdsOnTheTargetFailPreflightAndChangeNothing() throws Exception {
        TargetReset.removeAllCrds(servers.target().client());
        boolean namespaceBefore = servers.target().client().namespaces().withName("metal3").get() != null;
        // one group is there, but at a version the archive was not written with (a provider older or newer than the source's)
        var otherVersion = Crds.openSchema("ipam.metal3.io", "v1alpha9", "IPPool", "ippools", true);
        var crds = servers.target().client().apiextensions().v1().customResourceDefinitions();
        Crds.install(servers.target().client(), List.of(otherVersion));
        int before = objectsOnTarget();
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", target, "--identity", identity.toString());
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("preflight failed"), r.err());
        assertTrue(r.err().contains("BareMetalHost.metal3.io v1alpha1 is not served by the target"), r.err());
        assertTrue(r.err().contains("--install-crds"), r.err());
        assertTrue(r.err().contains("IPPool.ipam.metal3.io v1alpha1 is not served by the target (it serves v1alpha9):"
                + " install provider CRDs that serve v1alpha1"), r.err());
        assertEquals(before, objectsOnTarget());
        assertEquals(namespaceBefore, servers.target().client().namespaces().withName("metal3").get() != null, "not even the namespace was created");
        assertEquals(0, journals());
        crds.withName("ippools.ipam.metal3.io").delete();
        crds.withName("ippools.ipam.metal3.io").waitUntilCondition(java.util.Objects::isNull, 60, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void dryRunWritesNothing() throws Exception {
        upstreamTarget();
        int before = objectsOnTarget();
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", target, "--identity", identity.toString(), "--dry-run");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("Dry run: preflight passed"), r.out());
        assertTrue(r.err().contains("plan: "), r.err());
        assertTrue(r.err().contains("BareMetalHost.metal3.io metal3/prod-a-node-4: the target drops spec.madeUpField (unknown to its schema)"), r.err());
        assertEquals(before, objectsOnTarget());
        assertEquals(0, journals());
    }

    @Test
    void aConflictingObjectFailsPreflightByDefault() throws Exception {
        upstreamTarget();
        KubernetesClient c = servers.target().client();
        c.secrets().inNamespace("metal3").resource(new SecretBuilder().withNewMetadata().withName("prod-a-kubeconfig").endMetadata()
                .addToStringData("value", "existing").build()).create();
        int before = objectsOnTarget();
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", target, "--identity", identity.toString());
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("Secret metal3/prod-a-kubeconfig already exists on the target (use --on-conflict skip or update)"), r.err());
        assertEquals(before, objectsOnTarget());
        c.secrets().inNamespace("metal3").withName("prod-a-kubeconfig").delete();
        assertEquals(0, journals());
    }

    @Test
    void aFailureMidApplyRollsEverythingBack() throws Exception {
        upstreamTarget();
        int before = objectsOnTarget();
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", target, "--identity", identity.toString(), "--concurrency", "2");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("write status of BareMetalHost.metal3.io metal3/prod-a-node-4"), r.err());
        assertTrue(r.err().matches("(?s).*rolled back [1-9][0-9]* change\\(s\\).*"), r.err());
        assertTrue(r.err().contains("  - deleted "), r.err());
        assertEquals(before, objectsOnTarget(), "no pivotctl-created object is left");
        assertEquals(0, journals(), "a complete rollback removes the journal");
    }

    @Test
    void aKeptJournalIsUndoneLaterWithRollback() throws Exception {
        upstreamTarget();
        int before = objectsOnTarget();
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", target, "--identity", identity.toString(), "--no-rollback");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(objectsOnTarget() > before, "--no-rollback keeps what was created");
        assertEquals(1, journals());

        // later, from another shell: no key is needed to undo (the journal names objects, it holds no content)
        Cli.Result undo = Cli.run("import", archive.toString(), "--kubeconfig", target, "--rollback");
        assertEquals(0, undo.exitCode(), undo.toString());
        assertTrue(undo.out().matches("(?s)Rolled back [1-9][0-9]* change\\(s\\) of archive .*"), undo.out());
        assertEquals(before, objectsOnTarget(), "everything the kept run created is gone");
        assertEquals(0, journals(), "the journal is removed once undone");

        Cli.Result again = Cli.run("import", archive.toString(), "--kubeconfig", target, "--rollback");
        assertEquals(2, again.exitCode(), again.toString());
        assertTrue(again.err().contains("--rollback: no journal"), again.err());
    }

    @Test
    void noRollbackKeepsWorkAndResumeFinishesIt() throws Exception {
        upstreamTarget();
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", target, "--identity", identity.toString(), "--no-rollback");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--resume"), r.err());
        int partial = objectsOnTarget();
        assertTrue(partial > 0, "objects stay with --no-rollback");
        assertEquals(1, journals());

        // the operator fixes the cause: here, a target whose host schema accepts the archived status
        KubernetesClient c = servers.target().client();
        CustomResourceDefinition crd = c.apiextensions().v1().customResourceDefinitions().withName("baremetalhosts.metal3.io").get();
        JSONSchemaProps strict = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("status");
        try {
            resumeAfterOpeningTheStatusSchema(c, crd, partial);
        } finally {
            // objects holding the status only the open schema accepts go first: the strict schema would refuse any write to them
            servers.resetTarget();
            CustomResourceDefinition now = c.apiextensions().v1().customResourceDefinitions().withName("baremetalhosts.metal3.io").get();
            now.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().put("status", strict);
            c.apiextensions().v1().customResourceDefinitions().resource(now).update(); // the next test gets the strict schema back
            awaitHostStatusSchema(false);
        }
    }

    /**
     * The apiserver picks a changed CRD schema up asynchronously: polls, with a probe host and server-side dry runs of
     * the archived broken status, until the target accepts it ({@code open}) or refuses it (strict again).
     */
    static void awaitHostStatusSchema(boolean open) {
        var hosts = servers.target().client().genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace("metal3");
        GenericKubernetesResource probe = hosts.resource(Serialization.unmarshal("""
                apiVersion: metal3.io/v1alpha1
                kind: BareMetalHost
                metadata: {name: schema-probe}
                spec: {online: false}
                """, GenericKubernetesResource.class)).create();
        probe.setAdditionalProperty("status", Map.of("errorCount", 0, "errorMessage", "", "operationalStatus", "not-a-valid-state",
                "poweredOn", false, "provisioningFailCount", 0, "provisioning", Map.of("ID", "", "state", "available")));
        try {
            TargetReset.await("the target's BareMetalHost status schema is " + (open ? "open" : "strict"), () -> {
                try {
                    hosts.resource(probe).dryRun().updateStatus();
                    return open;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 422) {
                        throw e;
                    }
                    return !open;
                }
            });
        } finally {
            hosts.withName("schema-probe").delete();
        }
    }

    private void resumeAfterOpeningTheStatusSchema(KubernetesClient c, CustomResourceDefinition crd, int partial) throws Exception {
        JSONSchemaProps open = new JSONSchemaProps();
        open.setType("object");
        open.setXKubernetesPreserveUnknownFields(true);
        crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().put("status", open);
        c.apiextensions().v1().customResourceDefinitions().resource(crd).update();
        awaitHostStatusSchema(true);

        Cli.Result resumed = Cli.run("import", archive.toString(), "--kubeconfig", target, "--identity", identity.toString(), "--resume");
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertEquals(0, journals(), "journal removed after a finished import");
        assertNotEquals(partial, objectsOnTarget());
        Cli.Result v = Cli.run("verify", archive.toString(), "--kubeconfig", target, "--identity", identity.toString());
        assertEquals(4, v.exitCode(), v.toString());
        assertTrue(v.out().contains("1 difference(s)"), "only the field the target's schema pruned differs: " + v.out());
        assertTrue(v.out().contains("spec.madeUpField is missing"), v.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> st = (Map<String, Object>) c.genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace("metal3")
                .withName("prod-a-node-4").get().getAdditionalProperties().get("status");
        assertEquals("not-a-valid-state", st.get("operationalStatus"));
    }

}

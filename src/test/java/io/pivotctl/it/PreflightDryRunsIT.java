package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.HandMadeArchive;
import io.pivotctl.testing.Metal3Fleet;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Preflight skips only the dry runs that decide nothing (issue 23): on a plain target the core Secrets and ConfigMaps
 * that nothing but the server's own validation can refuse go without one, counted in the plan and in {@code -v}'s
 * request line; a webhook that matches Secrets, or a quota that counts them, brings their dry runs back (and a webhook
 * pointing nowhere then fails preflight, named, with nothing written); an object the server would refuse is refused
 * before anything is written.
 */
class PreflightDryRunsIT {

    static final String NS = "metal3";

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withCrds(CrdSet.upstreamOrFixtures())
            .withFleet(Metal3Fleet.of(NS, List.of(new Metal3Fleet.ClusterSpec("prod-a", 2, 1)), 1)).withTargetNamespace(NS)
            .withTargetResetBeforeEach();

    static Path archive;

    @BeforeAll
    static void export() {
        archive = servers.key().exportMetal3(servers.source(), servers.dir().resolve("fleet.tar.gz"));
    }

    record Plan(int run, int skipped, int dryRunRequests, String text) {
    }

    static Plan dryRunImport(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("import", archive.toString(), "--kubeconfig", servers.target().kubeconfig().toString(),
                "--identity", servers.key().identity().toString(), "--dry-run", "-v"));
        args.addAll(List.of(extra));
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.exitCode(), r.toString());
        Matcher plan = Pattern.compile("dry runs: (\\d+) run, (\\d+) skipped").matcher(r.err() + r.out());
        assertTrue(plan.find(), "the plan counts the dry runs:\n" + r);
        Matcher requests = Pattern.compile("api requests: \\d+ \\(.*; dry-run (\\d+)\\)").matcher(r.err());
        assertTrue(requests.find(), "-v's request line:\n" + r.err());
        return new Plan(Integer.parseInt(plan.group(1)), Integer.parseInt(plan.group(2)), Integer.parseInt(requests.group(1)), r.err() + r.out());
    }

    static long coreObjectsInArchive() {
        return servers.fleet().stream().filter(o -> o.path("apiVersion").asText().equals("v1")
                && List.of("Secret", "ConfigMap").contains(o.path("kind").asText())).count();
    }

    @Test
    void onAPlainTargetOnlyTheCoreDryRunsThatDecideNothingAreSkipped() {
        Plan needed = dryRunImport();
        Plan every = dryRunImport("--preflight", "every-object");
        assertTrue(needed.skipped() > 0, "some Secrets or ConfigMaps go without a dry run:\n" + needed.text());
        assertTrue(needed.skipped() <= coreObjectsInArchive(), "only core Secrets and ConfigMaps are ever skipped: " + needed);
        assertEquals(0, every.skipped(), every.text());
        assertEquals(needed.run() + needed.skipped(), every.run(), "every-object dry-runs exactly what was skipped as well");
        assertEquals(needed.run(), needed.dryRunRequests(), "the plan's count is what was sent");
        assertEquals(every.run(), every.dryRunRequests());
    }

    @Test
    void aWebhookThatMatchesSecretsBringsTheirDryRunsBackAndFailsPreflightNamingIt() {
        KubernetesClient c = servers.target().client();
        ValidatingWebhookConfiguration hook = new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName("deny-secrets").endMetadata()
                .addNewWebhook().withName("secrets.policy.example.com").withAdmissionReviewVersions("v1").withSideEffects("None")
                .withFailurePolicy("Fail").withNewClientConfig().withUrl("https://127.0.0.1:1/validate").endClientConfig()
                .addNewRule().withApiGroups("").withApiVersions("v1").withOperations("CREATE").withResources("secrets").endRule()
                .endWebhook().build();
        c.admissionRegistration().v1().validatingWebhookConfigurations().resource(hook).create();
        try {
            Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", servers.target().kubeconfig().toString(),
                    "--identity", servers.key().identity().toString());
            assertEquals(3, r.exitCode(), r.toString());
            assertTrue(r.err().contains("preflight failed") && r.err().contains("secrets.policy.example.com"), "names the webhook:\n" + r.err());
            assertEquals(List.of(), c.secrets().inNamespace(NS).list().getItems().stream()
                    .filter(s -> !s.getType().startsWith("kubernetes.io/service-account")).map(s -> s.getMetadata().getName()).toList(),
                    "nothing written");
            assertEquals(0, c.genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace(NS).list().getItems().size());
        } finally {
            c.admissionRegistration().v1().validatingWebhookConfigurations().withName("deny-secrets").delete();
        }
    }

    @Test
    void aQuotaThatCountsSecretsBringsTheirDryRunsBack() {
        KubernetesClient c = servers.target().client();
        Plan before = dryRunImport();
        c.resourceQuotas().inNamespace(NS).resource(new ResourceQuotaBuilder().withNewMetadata().withName("secret-budget").endMetadata()
                .withNewSpec().addToHard("count/secrets", new io.fabric8.kubernetes.api.model.Quantity("1000")).endSpec().build()).create();
        try {
            Plan withQuota = dryRunImport();
            assertTrue(withQuota.text().contains("ResourceQuota metal3/secret-budget counts secrets"), withQuota.text());
            long secrets = servers.fleet().stream().filter(o -> o.path("kind").asText().equals("Secret")).count();
            assertTrue(before.skipped() - withQuota.skipped() > 0 && before.skipped() - withQuota.skipped() <= secrets,
                    "the Secrets dry-run again, nothing else changes: " + before + " -> " + withQuota);
            assertEquals(before.run() + before.skipped(), withQuota.run() + withQuota.skipped());
        } finally {
            c.resourceQuotas().inNamespace(NS).withName("secret-budget").delete();
        }
    }

    @Test
    void aConfigMapTheServerWouldRefuseIsStillRefusedBeforeAnythingIsWritten() {
        ObjectNode good = HandMadeArchive.yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ironic-env, namespace: metal3, uid: c1}\n"
                + "data: {PROVISIONING_INTERFACE: eth2, DHCP_RANGE: '172.22.0.10,172.22.0.100'}\n");
        ObjectNode badKey = HandMadeArchive.yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hand-edited, namespace: metal3, uid: c2}\n"
                + "data: {'bad key!': x}\n");
        StringBuilder big = new StringBuilder();
        big.append("x".repeat(1024 * 1024 + 1));
        ObjectNode oversized = HandMadeArchive.yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: too-big, namespace: metal3, uid: c3}\n"
                + "data: {blob: " + big + "}\n");
        Path hand = new HandMadeArchive().add(good, "configmaps", 0).add(badKey, "configmaps", 0).add(oversized, "configmaps", 0)
                .write(servers.dir().resolve("hand.tar"));
        Cli.Result r = Cli.run("import", hand.toString(), "--kubeconfig", servers.target().kubeconfig().toString(),
                "--identity", servers.key().identity().toString());
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("ConfigMap metal3/hand-edited") && r.err().contains("ConfigMap metal3/too-big"),
                "both named by the server's dry run:\n" + r.err());
        List<String> left = servers.target().client().configMaps().inNamespace(NS).list().getItems().stream().map(ConfigMap::getMetadata)
                .map(m -> m.getName()).filter(n -> !n.equals("kube-root-ca.crt")).toList();
        assertEquals(List.of(), left, "nothing written, not even the good one");
    }
}

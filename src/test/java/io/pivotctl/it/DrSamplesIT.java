package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pivotctl.Json;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ArchiveReader;
import io.pivotctl.archive.ManifestCodec;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.Metal3Fleet;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * samples/dr against a real apiserver with RBAC authorization (kube-api-test starts it with
 * --authorization-mode=RBAC): the manifests pass server-side dry run, and export runs with nothing but the
 * sample ServiceAccount's token; without one rule it fails naming the verb and resource.
 */
class DrSamplesIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.one().withCrds(CrdSet.upstream())
            .withFleet(Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("prod-a", 1, 1)), 0));

    @TempDir
    static Path dir;

    static final Path SAMPLES = Path.of("samples", "dr");
    static final String NS = "pivotctl-backup";
    static String recipient;
    static KubernetesClient admin;

    @BeforeAll
    static void setUp() throws Exception {
        recipient = servers.key().recipient();
        admin = servers.source().client();
        List<HasMetadata> rbac;
        try (InputStream in = Files.newInputStream(SAMPLES.resolve("rbac.yaml"))) {
            rbac = admin.load(in).items();
        }
        // the namespace must exist for a dry run of what lives in it; everything else is dry-run first, then created
        Namespace ns = (Namespace) rbac.stream().filter(Namespace.class::isInstance).findFirst().orElseThrow();
        admin.resource(ns).create();
        for (HasMetadata o : rbac) {
            if (!(o instanceof Namespace)) {
                admin.resource(o).dryRun().create();
            }
        }
        assertTrue(admin.rbac().clusterRoles().withName("pivotctl-export-readonly").get() == null, "a dry run creates nothing");
        for (HasMetadata o : rbac) {
            if (!(o instanceof Namespace)) {
                admin.resource(o).create();
            }
        }
    }

    @Test
    void theCronJobPassesServerSideDryRun() throws Exception {
        GenericKubernetesResource cronJob = Serialization.unmarshal(Files.readString(SAMPLES.resolve("cronjob.yaml")), GenericKubernetesResource.class);
        assertEquals("batch/v1", cronJob.getApiVersion());
        // the test apiserver is 1.20, which serves CronJob only as batch/v1beta1 (batch/v1 came in 1.21 with the same schema)
        cronJob.setApiVersion("batch/v1beta1");
        GenericKubernetesResource checked = admin.genericKubernetesResources("batch/v1beta1", "CronJob").inNamespace(NS).resource(cronJob)
                .dryRun().create();
        assertEquals("pivotctl-backup", Json.MAPPER.valueToTree(checked).at("/spec/jobTemplate/spec/template/spec/serviceAccountName").asText());
        assertTrue(admin.genericKubernetesResources("batch/v1beta1", "CronJob").inNamespace(NS).list().getItems().isEmpty());
    }

    @Test
    void exportSucceedsWithOnlyTheSampleServiceAccountToken() throws Exception {
        Path kubeconfig = kubeconfigFor("pivotctl-backup");
        Path out = dir.resolve("dr.tar.gz");
        Cli.Result r = Cli.run("export", out.toString(), "--kubeconfig", kubeconfig.toString(), "-A", "--recipient", recipient, "-q");
        assertEquals(0, r.exitCode(), r.toString());
        var manifest = ManifestCodec.parse(ArchiveReader.read(out, ArchiveLimits.DEFAULT).manifestBytes());
        assertTrue(manifest.secrets().size() > 0, "Secrets were read and archived");
        assertTrue(manifest.entries().stream().anyMatch(e -> "BareMetalHost".equals(e.kind())));
        assertTrue(manifest.entries().stream().anyMatch(e -> "crd".equals(e.role())), "CRDs were read");

        // the ServiceAccount cannot change anything: a pause needs patch, which the sample role does not grant
        Cli.Result pause = Cli.run("export", dir.resolve("p.tar").toString(), "--kubeconfig", kubeconfig.toString(), "-A",
                "--recipient", recipient, "--pause", "-q");
        assertEquals(1, pause.exitCode(), pause.toString());
        assertTrue(pause.err().contains("forbidden (403)") && pause.err().contains("grant the 'patch' permission"), pause.err());
    }

    @Test
    void withoutTheSecretsRuleExportFailsInOneLineNamingVerbAndResource() throws Exception {
        ClusterRole full = admin.rbac().clusterRoles().withName("pivotctl-export-readonly").get();
        List<PolicyRule> rules = new ArrayList<>();
        for (PolicyRule rule : full.getRules()) {
            if (rule.getResources().contains("secrets")) {
                rule.setResources(List.of("configmaps"));
            }
            rules.add(rule);
        }
        admin.rbac().clusterRoles().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder().withNewMetadata()
                .withName("no-secrets").endMetadata().withRules(rules).build()).create();
        admin.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName("no-secrets").endMetadata().build())
                .create();
        admin.rbac().clusterRoleBindings().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder().withNewMetadata()
                .withName("no-secrets").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "no-secrets")
                .addNewSubject().withKind("ServiceAccount").withName("no-secrets").withNamespace(NS).endSubject().build()).create();

        Cli.Result r = Cli.run("export", dir.resolve("x.tar.gz").toString(), "--kubeconfig", kubeconfigFor("no-secrets").toString(), "-A",
                "--recipient", recipient, "-q");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: forbidden (403): cannot list secrets"), r.err());
        assertTrue(Files.notExists(dir.resolve("x.tar.gz")));
    }

    /** A kubeconfig for the test server that authenticates with nothing but a token of ServiceAccount {@code sa}. */
    static Path kubeconfigFor(String sa) throws Exception {
        String token = admin.serviceAccounts().inNamespace(NS).withName(sa)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
        ObjectNode kc = (ObjectNode) Json.YAML.readTree(servers.source().kubeconfigYaml());
        ArrayNode users = (ArrayNode) kc.get("users");
        for (int i = 0; i < users.size(); i++) {
            ((ObjectNode) users.get(i)).set("user", Json.MAPPER.valueToTree(Map.of("token", token)));
        }
        Path file = Files.createTempFile(dir, "sa-", ".yaml", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, Json.YAML.writeValueAsString(kc));
        return file;
    }
}

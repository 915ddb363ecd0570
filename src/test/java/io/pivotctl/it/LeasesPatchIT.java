package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pivotctl leases patch} applied the way an operator does (kustomize, kubectl's built-in) to the sample Ironic
 * Deployment: the result passes a server-side dry-run create on the real apiserver, with the initContainer before
 * dnsmasq, the emptyDir at the lease directory and the ConfigMap volume.
 */
class LeasesPatchIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.one().withTargetNamespace("metal3");

    @TempDir
    static Path dir;

    @Test
    void theSampleDeploymentWithThePatchPassesAServerSideDryRun() throws Exception {
        Deployment d = dryRunCreate(kustomize(Path.of("samples/ironic")));
        var pod = d.getSpec().getTemplate().getSpec();
        assertEquals("pivotctl-restore-leases", pod.getInitContainers().get(0).getName());
        assertEquals(2, pod.getContainers().size(), "no container added by the patch");
        var dnsmasq = pod.getContainers().stream().filter(c -> c.getName().equals("dnsmasq")).findFirst().orElseThrow();
        assertTrue(dnsmasq.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/var/lib/dnsmasq") && m.getName().equals("pivotctl-dnsmasq-leases")));
        assertTrue(dnsmasq.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/shared")), "the existing mount is kept");
        var leases = pod.getVolumes().stream().filter(v -> v.getName().equals("pivotctl-dnsmasq-leases")).findFirst().orElseThrow();
        assertTrue(leases.getEmptyDir() != null, "dnsmasq must be able to write its lease directory");
        var cm = pod.getVolumes().stream().filter(v -> v.getName().equals("pivotctl-leases-configmap")).findFirst().orElseThrow();
        assertEquals("dnsmasq-leases-configmap", cm.getConfigMap().getName());
        assertEquals("dnsmasq.leases", cm.getConfigMap().getItems().get(0).getKey());
        assertTrue(servers.source().client().apps().deployments().inNamespace("metal3").list().getItems().isEmpty(), "dry run wrote nothing");
    }

    @Test
    void aPatchNamingAContainerTheDeploymentLacksIsRejectedByTheServer() throws Exception {
        Path k = dir.resolve("wrong-container");
        Files.createDirectories(k);
        Files.copy(Path.of("samples/ironic/ironic-deployment.yaml"), k.resolve("ironic-deployment.yaml"));
        Files.copy(Path.of("samples/ironic/kustomization.yaml"), k.resolve("kustomization.yaml"));
        Cli.Result p = Cli.run("leases", "patch", "--container", "ironic-dnsmasq");
        assertEquals(0, p.exitCode(), p.toString());
        Files.writeString(k.resolve("leases-patch.yaml"), p.out());
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> dryRunCreate(kustomize(k)));
        assertEquals(422, e.getCode(), "a container with no image: the dry run is a real check");
    }

    private static Deployment dryRunCreate(String yaml) {
        KubernetesClient client = servers.source().client();
        Deployment d = Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), Deployment.class);
        return client.apps().deployments().inNamespace("metal3").resource(d).dryRun().create();
    }

    private static String kustomize(Path dir) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")) || System.getenv("CI") != null, "kubectl not installed");
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir);
        return out;
    }
}

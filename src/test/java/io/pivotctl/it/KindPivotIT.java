package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dajudge.kindcontainer.KindContainer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.Crds;
import io.pivotctl.testing.InventoryLoader;
import io.pivotctl.testing.Metal3Fleet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The Docker path of the design: the full pivot (export --pause, import leases then objects, verify) between two
 * kind clusters started by testcontainers (kindcontainer), with the upstream CRDs. Extra coverage on a current
 * Kubernetes; it never replaces the real-apiserver tests, and skips where no Docker engine runs.
 */
class KindPivotIT {

    /** The key and a pivotctl home of the class's own; the kind clusters are started in the test, where Docker runs. */
    @RegisterExtension
    static final ApiServersExtension home = ApiServersExtension.none();

    @TempDir
    Path dir;

    @Test
    void fullPivotBetweenTwoKindClusters() throws Exception {
        Assumptions.assumeTrue(dockerAvailable(), "KindPivotIT skipped: no Docker engine reachable (set DOCKER_HOST or start dockerd; see README)");
        try (KindContainer<?> source = new KindContainer<>(); KindContainer<?> target = new KindContainer<>()) {
            source.start();
            target.start();
            Path src = kubeconfig(source.getKubeconfig(), "source");
            Path dst = kubeconfig(target.getKubeconfig(), "target");
            try (KubernetesClient s = client(source.getKubeconfig()); KubernetesClient t = client(target.getKubeconfig())) {
                Crds.installUpstream(s);
                Crds.installUpstream(t);
            }
            List<ObjectNode> fleet = Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("prod-a", 1, 2)), 1);
            InventoryLoader.load(src, fleet, 8);
            Path key = home.key().identity();
            Path archive = dir.resolve("pivot.tar.gz");

            Cli.Result exp = Cli.run("export", "--kubeconfig", src.toString(), "-n", "metal3", "-o", archive.toString(), "--recipient", home.key().recipient(),
                    "--pause");
            assertEquals(0, exp.exitCode(), exp.toString());
            Cli.Result imp = Cli.run("import", archive.toString(), "--kubeconfig", dst.toString(), "--identity", key.toString());
            assertEquals(0, imp.exitCode(), imp.toString());
            Cli.Result ver = Cli.run("verify", archive.toString(), "--kubeconfig", dst.toString(), "--identity", key.toString());
            assertEquals(0, ver.exitCode(), ver.toString());
            assertTrue(ver.out().startsWith("EQUAL"), ver.out());
        }
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private Path kubeconfig(String yaml, String name) throws Exception {
        Path f = dir.resolve(name + ".kubeconfig");
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, yaml);
        return f;
    }

    private static KubernetesClient client(String kubeconfigYaml) {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml)).build();
    }
}

package io.pivotctl.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Installs CRDs into a test API server: the real upstream ones from {@code ../shared/crds} (read in place,
 * never copied into this repository) or pivotctl's own minimal fixtures from {@code src/test/resources/crds}.
 */
public final class Crds {

    private static final String FIXTURES = "/crds/pivotctl-fixture-crds.yaml";

    private Crds() {
    }

    /** The shared upstream CRD folder, or null when it is absent on this machine. */
    public static Path upstreamDir() {
        String configured = System.getProperty("pivotctl.shared.crds", System.getenv("PIVOTCTL_SHARED_CRDS"));
        Path dir = configured != null ? Path.of(configured) : Path.of(System.getProperty("user.dir")).resolve("../shared/crds").normalize();
        return Files.isDirectory(dir) ? dir : null;
    }

    /**
     * Skips the calling test with a clear message when the upstream CRDs are absent; under {@code CI=true} their
     * absence fails the test instead: a CI run must never pass by skipping the tests against the real schemas.
     */
    public static Path requireUpstream() {
        Path dir = upstreamDir();
        if (dir == null && isCi()) {
            throw new AssertionError("upstream CRDs not found at ../shared/crds (or PIVOTCTL_SHARED_CRDS) and CI=true: they are required in CI");
        }
        Assumptions.assumeTrue(dir != null, "upstream CRDs not found at ../shared/crds: upstream-CRD test skipped");
        return dir;
    }

    static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static List<Path> upstreamFiles() {
        Path dir = requireUpstream();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Installs every upstream CRD and waits until all are Established. */
    public static List<CustomResourceDefinition> installUpstream(KubernetesClient client) {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (Path file : upstreamFiles()) {
            try (InputStream in = Files.newInputStream(file)) {
                crds.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return install(client, crds);
    }

    /** Installs pivotctl's own fixture CRDs (open schemas with status subresources). */
    public static List<CustomResourceDefinition> installFixtures(KubernetesClient client) {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        try (InputStream in = Crds.class.getResourceAsStream(FIXTURES)) {
            for (HasMetadata item : client.load(in).items()) {
                crds.add((CustomResourceDefinition) item);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return install(client, crds);
    }

    /** Upstream when present, else the fixtures. Returns true when upstream CRDs were installed. */
    public static boolean installPreferUpstream(KubernetesClient client) {
        if (upstreamDir() != null || isCi()) {
            installUpstream(client);
            return true;
        }
        installFixtures(client);
        return false;
    }

    public static List<CustomResourceDefinition> install(KubernetesClient client, List<CustomResourceDefinition> crds) {
        for (CustomResourceDefinition crd : crds) {
            crd.getMetadata().setResourceVersion(null);
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
        for (CustomResourceDefinition crd : crds) {
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(Crds::established, 60, TimeUnit.SECONDS);
        }
        return crds;
    }

    static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}

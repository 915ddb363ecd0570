package io.pivotctl.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Installs CRDs into a test API server: the real upstream ones (read in place, never committed to this repository;
 * see {@link #upstreamDir()}) or pivotctl's own minimal fixtures from {@code src/test/resources/crds}.
 */
public final class Crds {

    private static final String FIXTURES = "/crds/pivotctl-fixture-crds.yaml";
    /** Where {@code scripts/fetch-crds.sh} puts them, relative to the project directory. */
    static final String FETCHED = "target/crds";
    /** A checkout next to the shared folder of the machine that develops pivotctl. */
    static final String SHARED = "../shared/crds";

    /** Parsed once per JVM: the upstream files are several megabytes of YAML, and most test classes install them. */
    private static Map<Path, CustomResourceDefinition> parsed;

    private Crds() {
    }

    /**
     * The upstream CRD folder, or null when there is none: {@code -Dpivotctl.crds} / {@code PIVOTCTL_CRDS} when set
     * (the older names {@code pivotctl.shared.crds} / {@code PIVOTCTL_SHARED_CRDS} still work), else
     * {@code target/crds} (what {@code scripts/fetch-crds.sh} downloads), else {@code ../shared/crds}.
     */
    public static Path upstreamDir() {
        String configured = firstSet(System.getProperty("pivotctl.crds"), System.getenv("PIVOTCTL_CRDS"),
                System.getProperty("pivotctl.shared.crds"), System.getenv("PIVOTCTL_SHARED_CRDS"));
        if (configured != null) {
            Path dir = Path.of(configured);
            return Files.isDirectory(dir) ? dir : null;
        }
        Path project = Path.of(System.getProperty("user.dir"));
        for (String candidate : List.of(FETCHED, SHARED)) {
            Path dir = project.resolve(candidate).normalize();
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        return null;
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /**
     * Skips the calling test with a clear message when the upstream CRDs are absent; under {@code CI=true} their
     * absence fails the test instead: a CI run must never pass by skipping the tests against the real schemas.
     */
    public static Path requireUpstream() {
        Path dir = upstreamDir();
        String where = "upstream CRDs not found (PIVOTCTL_CRDS, target/crds from scripts/fetch-crds.sh, or ../shared/crds)";
        if (dir == null && isCi()) {
            throw new AssertionError(where + " and CI=true: they are required in CI");
        }
        Assumptions.assumeTrue(dir != null, where + ": upstream-CRD test skipped");
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

    /** Every upstream CRD, parsed once per JVM, by file. */
    private static synchronized Map<Path, CustomResourceDefinition> parsedUpstream() {
        Path dir = requireUpstream();
        if (parsed == null || !parsed.keySet().stream().allMatch(p -> p.startsWith(dir))) {
            Map<Path, CustomResourceDefinition> all = new LinkedHashMap<>();
            for (Path file : upstreamFiles()) {
                try (InputStream in = Files.newInputStream(file)) {
                    all.put(file, Serialization.unmarshal(in, CustomResourceDefinition.class));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            parsed = all;
        }
        return parsed;
    }

    /** Fresh copies of the upstream CRDs: only the files named (relative to {@link #upstreamDir()}) when any are, else all of them. */
    static List<CustomResourceDefinition> upstream(Set<String> files) {
        Path dir = requireUpstream();
        List<CustomResourceDefinition> out = new ArrayList<>();
        parsedUpstream().forEach((file, crd) -> {
            if (files.isEmpty() || files.contains(dir.relativize(file).toString())) {
                out.add(copy(crd));
            }
        });
        if (!files.isEmpty() && out.size() != files.size()) {
            throw new IllegalArgumentException("upstream CRD file(s) not found in " + dir + ": " + files);
        }
        return out;
    }

    /**
     * A CRD of a real group and kind with an open schema and a status subresource, for a test where only the kind,
     * the version served and the scope matter: a provider that serves another version than an archive's, say, or a
     * cluster-scoped pool.
     */
    public static CustomResourceDefinition openSchema(String group, String version, String kind, String plural, boolean namespaced) {
        return new CustomResourceDefinitionBuilder().withNewMetadata().withName(plural + "." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope(namespaced ? "Namespaced" : "Cluster")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase(java.util.Locale.ROOT)).withListKind(kind + "List")
                .endNames()
                .addNewVersion().withName(version).withServed(true).withStorage(true).withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                .endVersion().endSpec().build();
    }

    static CustomResourceDefinition copy(CustomResourceDefinition crd) {
        return new CustomResourceDefinitionBuilder(crd).build();
    }

    /** Installs every upstream CRD and waits until all are Established. */
    public static List<CustomResourceDefinition> installUpstream(KubernetesClient client) {
        return install(client, upstream(Set.of()));
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

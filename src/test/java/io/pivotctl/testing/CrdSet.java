package io.pivotctl.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which CRDs a test API server serves before a test class starts: none, pivotctl's own fixtures, the real upstream
 * ones (all of them or some files), plus any a test defines itself. Two sets with the same
 * {@link #key()} install the same CRDs, which is what lets {@link ServerPool} hand a server from one class to the next.
 */
public final class CrdSet {

    private enum Source { NONE, FIXTURES, UPSTREAM, UPSTREAM_OR_FIXTURES }

    private final Source source;
    /** Upstream file paths relative to the CRD directory; empty: every upstream CRD. */
    private final Set<String> upstreamFiles;
    private final List<CustomResourceDefinition> extra;

    private CrdSet(Source source, Set<String> upstreamFiles, List<CustomResourceDefinition> extra) {
        this.source = source;
        this.upstreamFiles = upstreamFiles;
        this.extra = extra;
    }

    public static CrdSet none() {
        return new CrdSet(Source.NONE, Set.of(), List.of());
    }

    /** pivotctl's own minimal CRDs (open schemas with status subresources), from src/test/resources/crds. */
    public static CrdSet fixtures() {
        return new CrdSet(Source.FIXTURES, Set.of(), List.of());
    }

    /** Every upstream CRD ({@link Crds#upstreamDir()}); the class is skipped without them, or fails under CI=true. */
    public static CrdSet upstream() {
        return new CrdSet(Source.UPSTREAM, Set.of(), List.of());
    }

    /** The upstream CRDs when present (always under CI=true), else the fixtures. */
    public static CrdSet upstreamOrFixtures() {
        return new CrdSet(Source.UPSTREAM_OR_FIXTURES, Set.of(), List.of());
    }

    /** Only these upstream files, e.g. {@code "baremetal-operator/metal3.io_baremetalhosts.yaml"}. */
    public static CrdSet upstreamFiles(String... relativePaths) {
        return new CrdSet(Source.UPSTREAM, new TreeSet<>(List.of(relativePaths)), List.of());
    }

    /** These CRDs as well, defined by the test. */
    public CrdSet and(CustomResourceDefinition... more) {
        List<CustomResourceDefinition> all = new ArrayList<>(extra);
        all.addAll(List.of(more));
        return new CrdSet(source, upstreamFiles, List.copyOf(all));
    }

    /** Skips (or, under CI=true, fails) the calling class when this set needs the upstream CRDs and they are absent. */
    void require() {
        if (resolved() == Source.UPSTREAM) {
            Crds.requireUpstream();
        }
    }

    private Source resolved() {
        if (source == Source.UPSTREAM_OR_FIXTURES) {
            return Crds.upstreamDir() != null || Crds.isCi() ? Source.UPSTREAM : Source.FIXTURES;
        }
        return source;
    }

    /** Installs the set and waits until every CRD is Established. */
    void install(KubernetesClient client) {
        switch (resolved()) {
            case FIXTURES -> Crds.installFixtures(client);
            case UPSTREAM -> Crds.install(client, Crds.upstream(upstreamFiles));
            default -> {
                // nothing from files
            }
        }
        if (!extra.isEmpty()) {
            Crds.install(client, extra.stream().map(Crds::copy).toList());
        }
    }

    /** Equal keys: the same CRDs. */
    String key() {
        List<String> extraNames = extra.stream()
                .map(c -> c.getMetadata().getName() + "#" + io.fabric8.kubernetes.client.utils.Serialization.asJson(c.getSpec()).hashCode())
                .sorted().toList();
        return resolved() + " files=" + upstreamFiles + " extra=" + extraNames;
    }

    @Override
    public String toString() {
        return key();
    }
}

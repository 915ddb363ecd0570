package io.pivotctl.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.kube.KubeTarget;
import io.pivotctl.kube.Parallel;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.testing.Crds;
import io.pivotctl.testing.InventoryLoader;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.TestApiServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Loads the bench fleet into the source server one cluster (50 hosts, 665 objects) at a time, several clusters at once:
 * every owner of an object is in its own cluster, so clusters are independent, and while one cluster waits at a level
 * boundary the others keep the server busy. Only the clusters in flight are in the harness heap, whatever N is.
 */
final class FleetLoader {

    static final int CLUSTERS_IN_FLIGHT = 4;
    /** Requests in flight per cluster; the client caps the total per host at twice this. */
    static final int CONCURRENCY = 8;

    record Loaded(int objects, double seconds) {
    }

    private FleetLoader() {
    }

    /**
     * {@code FleetLoader N}: loads N hosts into a fresh API server and says how long it took, to size a bench run
     * (run with the classpath scripts/bench.sh builds).
     */
    public static void main(String[] args) {
        int hosts = Integer.parseInt(args[0]);
        try (TestApiServer server = TestApiServer.start()) {
            Crds.installPreferUpstream(server.client());
            Loaded l = load(server.kubeconfig(), Bench.NAMESPACE, hosts);
            Runtime rt = Runtime.getRuntime();
            System.out.printf(Locale.ROOT, "N=%d: %d objects loaded in %.1f s (%.0f objects/s); harness heap in use %d MB%n", hosts, l.objects(), l.seconds(),
                    l.objects() / l.seconds(), (rt.totalMemory() - rt.freeMemory()) >> 20);
        }
        System.exit(0);
    }

    static Loaded load(Path kubeconfig, String namespace, int hosts) {
        try (ClusterConnection conn = KubeConnector.connect(new KubeTarget(kubeconfig, null, CONCURRENCY, 0))) {
            // created once here: clusters loading in parallel would race to create it
            new ResourceClient(conn).create(ResourceType.NAMESPACE, (ObjectNode) Json.MAPPER.valueToTree(Map.of("apiVersion", "v1", "kind", "Namespace",
                    "metadata", Map.of("name", namespace))), false);
            long t0 = System.nanoTime();
            List<Integer> clusters = IntStream.range(0, Metal3Fleet.fleetClusters(hosts)).boxed().toList();
            AtomicInteger done = new AtomicInteger();
            AtomicInteger loaded = new AtomicInteger();
            int every = Math.max(1, clusters.size() / 10);
            List<Integer> sizes = Parallel.map(clusters, CLUSTERS_IN_FLIGHT, i -> {
                List<ObjectNode> cluster = Metal3Fleet.fleetCluster(namespace, hosts, i);
                InventoryLoader.load(conn, cluster);
                int objects = loaded.addAndGet(cluster.size());
                int n = done.incrementAndGet();
                if (n % every == 0 && n < clusters.size()) {
                    double s = (System.nanoTime() - t0) / 1e9;
                    Bench.log(String.format(Locale.ROOT, "  %d of %d clusters, %d objects in %.1f s (%.0f objects/s)", n, clusters.size(), objects, s, objects / s));
                }
                return cluster.size();
            });
            return new Loaded(sizes.stream().mapToInt(Integer::intValue).sum(), (System.nanoTime() - t0) / 1e9);
        }
    }
}

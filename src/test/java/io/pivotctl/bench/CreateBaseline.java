package io.pivotctl.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.testing.Metal3Fleet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The import baselines: the fleet as bare POSTs (no owner references, so no UIDs to rewrite; no status; no ordering) into
 * a namespace of their own, one at a time or {@code concurrency} at once. The bodies are made one cluster at a time by a
 * producer that runs ahead through a bounded queue, which is full before the clock starts, so the heap stays small at
 * any N and the time measured is the server's.
 */
final class CreateBaseline {

    static final int QUEUE = 4096;
    private static final ObjectNode END = Json.MAPPER.createObjectNode();

    private CreateBaseline() {
    }

    /** Seconds to create every object of the N-host fleet in {@code namespace}. */
    static double creates(ClusterConnection conn, int hosts, String namespace, int concurrency) throws InterruptedException {
        ResourceClient client = new ResourceClient(conn);
        client.create(ResourceType.NAMESPACE, (ObjectNode) Json.MAPPER.valueToTree(Map.of("apiVersion", "v1", "kind", "Namespace",
                "metadata", Map.of("name", namespace))), false);
        Discovery discovery = new Discovery(conn);
        Map<String, ResourceType> types = new ConcurrentHashMap<>();
        Metal3Fleet.fleetCluster(namespace, hosts, 0).forEach(o -> typeOf(o, discovery, types)); // discovery before the clock
        BlockingQueue<ObjectNode> queue = new ArrayBlockingQueue<>(QUEUE);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> produce(hosts, namespace, concurrency, queue, failure), "bench-bodies");
        producer.setDaemon(true);
        producer.start();
        while (queue.remainingCapacity() > 0 && producer.isAlive()) {
            Thread.sleep(10);
        }
        List<Thread> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            Thread w = new Thread(() -> {
                try {
                    for (ObjectNode o = queue.take(); o != END && failure.get() == null; o = queue.take()) {
                        client.create(typeOf(o, discovery, types), o, false);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-create-" + i);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        producer.interrupt();
        if (failure.get() != null) {
            throw failure.get();
        }
        return seconds;
    }

    private static void produce(int hosts, String namespace, int workers, BlockingQueue<ObjectNode> queue, AtomicReference<RuntimeException> failure) {
        try {
            for (int i = 0; i < Metal3Fleet.fleetClusters(hosts) && failure.get() == null; i++) {
                for (ObjectNode o : Metal3Fleet.fleetCluster(namespace, hosts, i)) {
                    if (!put(queue, bare(o), failure)) {
                        return;
                    }
                }
            }
            for (int i = 0; i < workers; i++) {
                if (!put(queue, END, failure)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            for (int i = 0; i < workers; i++) {
                queue.offer(END);
            }
        }
    }

    /** Waits for room, but gives up once a worker failed (nobody is taking any more). */
    private static boolean put(BlockingQueue<ObjectNode> queue, ObjectNode o, AtomicReference<RuntimeException> failure) throws InterruptedException {
        while (!queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
            if (failure.get() != null) {
                return false;
            }
        }
        return true;
    }

    /** The object as a bare create: no owner references (no UIDs to rewrite), no status. */
    static ObjectNode bare(ObjectNode o) {
        ObjectNode c = o.deepCopy();
        c.remove("status");
        c.with("metadata").remove("ownerReferences");
        return c;
    }

    private static ResourceType typeOf(ObjectNode o, Discovery discovery, Map<String, ResourceType> types) {
        ObjectId id = ObjectId.of(o);
        String v = o.path("apiVersion").asText();
        String version = v.contains("/") ? v.substring(v.indexOf('/') + 1) : v;
        return types.computeIfAbsent(id.group() + "/" + version + "/" + id.kind(), k -> discovery.find(id.group(), version, id.kind())
                .orElseThrow(() -> new IllegalStateException(id.kind() + " " + v + " is not served")));
    }
}

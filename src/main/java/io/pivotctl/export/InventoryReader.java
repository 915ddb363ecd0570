package io.pivotctl.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.PivotctlException;
import io.pivotctl.graph.Edge;
import io.pivotctl.graph.LinkedObject;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.vocabulary.Kubernetes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Lists the given resource types in the given namespaces (or all), concurrently per type and namespace,
 * page by page, packing each object for the archive as it arrives ({@link ObjectPacker}): only a page of trees
 * per list is ever in memory. Secrets and ConfigMaps that can never belong to an export (service-account tokens,
 * Helm releases, kube-root-ca.crt) are dropped as they are read.
 */
final class InventoryReader {

    /**
     * Lists read at once: each holds one page of trees while it is packed, and packing is CPU work, so more
     * lists than this only add memory, not speed.
     */
    static final int MAX_PARALLEL_LISTS = 4;

    private final ResourceClient client;
    private final int concurrency;
    private final ExportProgress progress;
    private final ObjectPacker packer;

    InventoryReader(ResourceClient client, int concurrency, ExportProgress progress, ObjectPacker packer) {
        this.client = client;
        this.concurrency = Math.max(1, Math.min(MAX_PARALLEL_LISTS, concurrency));
        this.progress = progress;
        this.packer = packer;
    }

    Inventory read(List<ResourceType> types, List<String> namespaces) {
        record Task(ResourceType type, String namespace) {
        }
        List<Task> tasks = new ArrayList<>();
        for (ResourceType t : types) {
            if (namespaces == null || !t.namespaced()) {
                tasks.add(new Task(t, null));
            } else {
                namespaces.forEach(ns -> tasks.add(new Task(t, ns)));
            }
        }
        Map<ObjectId, PackedObject> objects = new ConcurrentHashMap<>();
        Map<String, String> rvs = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, tasks.size())), r -> {
            Thread th = new Thread(r, "pivotctl-list");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Task task : tasks) {
                futures.add(pool.submit(() -> {
                    String where = task.namespace() == null ? "" : " in namespace " + task.namespace();
                    // one list's objects, dropped when its continue token expires and it is read again from the start
                    Map<ObjectId, PackedObject> listed = new HashMap<>();
                    String rv;
                    try {
                        rv = client.forEachPage(task.type(), task.namespace(), null, new ResourceClient.PageListener() {
                            @Override
                            public void restarted() {
                                listed.clear();
                            }

                            @Override
                            public void item(ObjectNode o) {
                                if (keep(o)) {
                                    PackedObject p = packer.pack(o, task.type());
                                    listed.put(p.id(), p);
                                }
                            }
                        });
                    } catch (RuntimeException e) {
                        throw ApiErrors.describe(e, "list", task.type().qualifiedResource() + where, client.connection().server());
                    }
                    objects.putAll(listed);
                    int kept = listed.size();
                    rvs.put(task.type().qualifiedResource() + (task.namespace() == null ? "" : "@" + task.namespace()), rv);
                    progress.listed(task.type().qualifiedResource() + where, kept);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PivotctlException pe) {
                throw pe;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PivotctlException.failed("interrupted while listing");
        } finally {
            pool.shutdownNow();
        }
        return new Inventory(sharedTargets(objects), new TreeMap<>(rvs));
    }

    /**
     * Links name their targets with ids of their own; pointing each at the listed object's id instead lets a fleet's
     * hundreds of thousands of links share one id per object.
     */
    private static Map<ObjectId, PackedObject> sharedTargets(Map<ObjectId, PackedObject> objects) {
        Map<ObjectId, ObjectId> canonical = new HashMap<>();
        objects.values().forEach(p -> canonical.put(p.id(), p.id()));
        Map<ObjectId, PackedObject> out = new TreeMap<>();
        for (PackedObject p : objects.values()) {
            LinkedObject l = p.linked();
            List<Edge> links = new ArrayList<>(l.links().size());
            for (Edge e : l.links()) {
                ObjectId to = canonical.getOrDefault(e.to(), e.to());
                links.add(to == e.to() ? e : new Edge(e.from(), to, e.type(), e.controller(), e.field()));
            }
            out.put(p.id(), p.withLinked(new LinkedObject(l.id(), l.uid(), List.copyOf(links), l.owners())));
        }
        return out;
    }

    /** Objects that are never part of a management-cluster export. */
    static boolean keep(ObjectNode o) {
        String kind = o.path("kind").asText();
        String name = o.path("metadata").path("name").asText();
        String type = o.path("type").asText("");
        if ("Secret".equals(kind)) {
            return !type.equals(Kubernetes.SERVICE_ACCOUNT_TOKEN) && !type.startsWith("helm.sh/release");
        }
        if ("ConfigMap".equals(kind)) {
            return !name.equals("kube-root-ca.crt");
        }
        return true;
    }
}

package io.pivotctl.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.pivotctl.PivotctlException;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.leases.DnsmasqLeasesPatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Collects the dnsmasq lease file from a local file, a ConfigMap, or a dnsmasq container. */
final class LeaseCollector {

    static final long MAX_BYTES = 16L << 20;
    static final List<String> CONTAINER_NAMES = List.of("ironic-dnsmasq", "dnsmasq");
    static final List<String> LEASE_PATHS = List.of("/data/dnsmasq/dnsmasq.leases", "/var/lib/dnsmasq/dnsmasq.leases");

    private final ClusterConnection conn;
    private final ResourceClient resources;

    LeaseCollector(ClusterConnection conn, ResourceClient resources) {
        this.conn = conn;
        this.resources = resources;
    }

    /** @param namespaces where to look for the dnsmasq pod when none is named; null means every namespace (-A) */
    Optional<CollectedLeases> collect(LeaseSource source, List<String> namespaces) {
        if (source instanceof LeaseSource.File f) {
            return Optional.of(fromFile(f));
        }
        if (source instanceof LeaseSource.ConfigMap c) {
            return Optional.of(fromConfigMap(c));
        }
        if (source instanceof LeaseSource.Pod p) {
            return Optional.of(fromPod(p, namespaces));
        }
        return Optional.empty();
    }

    private CollectedLeases fromFile(LeaseSource.File f) {
        try {
            if (Files.size(f.path()) > MAX_BYTES) {
                throw PivotctlException.usage("lease file " + f.path() + " is larger than " + MAX_BYTES + " bytes");
            }
            return new CollectedLeases(Files.readAllBytes(f.path()), "file:" + f.path());
        } catch (NoSuchFileException e) {
            throw PivotctlException.usage("lease file " + f.path() + " does not exist");
        } catch (IOException e) {
            throw PivotctlException.usage("cannot read lease file " + f.path() + ": " + e.getMessage());
        }
    }

    private CollectedLeases fromConfigMap(LeaseSource.ConfigMap c) {
        Optional<ObjectNode> cm;
        try {
            cm = resources.get(ResourceType.CONFIG_MAP, c.namespace(), c.name());
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "get", "configmap " + c.namespace() + "/" + c.name(), conn.server());
        }
        String data = cm.orElseThrow(() -> PivotctlException.usage("leases ConfigMap " + c.namespace() + "/" + c.name() + " not found"))
                .path("data").path(DnsmasqLeasesPatch.KEY).asText(null);
        if (data == null) {
            throw PivotctlException.usage("ConfigMap " + c.namespace() + "/" + c.name() + " has no key '" + DnsmasqLeasesPatch.KEY + "'");
        }
        return new CollectedLeases(data.getBytes(StandardCharsets.UTF_8), "configmap:" + c.namespace() + "/" + c.name());
    }

    private CollectedLeases fromPod(LeaseSource.Pod p, List<String> namespaces) {
        Pod pod;
        String container = p.container();
        if (p.pod() != null) {
            pod = conn.client().pods().inNamespace(p.namespace()).withName(p.pod()).get();
            if (pod == null) {
                throw PivotctlException.usage("pod " + p.namespace() + "/" + p.pod() + " not found");
            }
        } else {
            List<String> where = p.namespace() != null ? List.of(p.namespace()) : namespaces;
            pod = findDnsmasqPod(where)
                    .orElseThrow(() -> PivotctlException.usage("no pod with a container named " + String.join(" or ", CONTAINER_NAMES)
                            + (where == null ? " in any namespace" : " in namespace(s) " + String.join(", ", where))
                            + ": name it with --leases-from-pod=NS/POD[:CONTAINER]"));
        }
        if (container == null) {
            container = pod.getSpec().getContainers().stream().map(Container::getName).filter(CONTAINER_NAMES::contains).findFirst()
                    .orElse(pod.getSpec().getContainers().get(0).getName());
        }
        String where = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + ":" + container;
        for (String path : LEASE_PATHS) {
            Optional<byte[]> raw = cat(pod, container, path);
            if (raw.isPresent()) {
                return new CollectedLeases(raw.get(), "pod:" + where + path);
            }
        }
        throw PivotctlException.failed("no lease file in " + where + " at " + String.join(" or ", LEASE_PATHS));
    }

    /**
     * The first pod (by namespace, then name, so the choice is stable) with a dnsmasq container; {@code namespaces}
     * null searches every namespace with one list, as {@code export -A} reads every namespace.
     */
    Optional<Pod> findDnsmasqPod(List<String> namespaces) {
        List<Pod> pods = new ArrayList<>();
        if (namespaces == null) {
            pods.addAll(listPods(null));
        } else {
            namespaces.forEach(ns -> pods.addAll(listPods(ns)));
        }
        return pods.stream()
                .filter(pod -> pod.getSpec().getContainers().stream().anyMatch(c -> CONTAINER_NAMES.contains(c.getName())))
                .min(Comparator.comparing((Pod pod) -> pod.getMetadata().getNamespace()).thenComparing(pod -> pod.getMetadata().getName()));
    }

    private List<Pod> listPods(String namespace) {
        try {
            return namespace == null ? conn.client().pods().inAnyNamespace().list().getItems()
                    : conn.client().pods().inNamespace(namespace).list().getItems();
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "list", "pods" + (namespace == null ? " in all namespaces" : " in namespace " + namespace), conn.server());
        }
    }

    private Optional<byte[]> cat(Pod pod, String container, String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExecWatch watch = conn.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .inContainer(container).redirectingOutput().exec("cat", path)) {
            try (InputStream in = watch.getOutput()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    if (out.size() > MAX_BYTES) {
                        throw PivotctlException.failed("lease file " + path + " in pod is larger than " + MAX_BYTES + " bytes");
                    }
                }
            }
            Integer code = watch.exitCode().get(30, TimeUnit.SECONDS);
            return code != null && code == 0 ? Optional.of(out.toByteArray()) : Optional.empty();
        } catch (PivotctlException e) {
            throw e;
        } catch (Exception e) {
            throw ApiErrors.describe(e, "exec cat " + path + " in", "pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(), conn.server());
        }
    }
}

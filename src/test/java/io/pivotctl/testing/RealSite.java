package io.pivotctl.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A management cluster shaped like a real Metal3 site (docs/real-sites.md), on
 * top of {@link Metal3Fleet}: Ironic inspection data with hex WWNs, {@code hctl} addresses, all-digit
 * serials and MACs and float-looking firmware versions; annotation and label values a YAML reader may
 * mistake; KubeadmControlPlane Secrets reached only through {@code contentFrom} and {@code passwdFrom};
 * a topology Cluster with its ClusterClass and templates; a Secret and a ConfigMap labelled for move; a
 * cluster-scoped GlobalInClusterIPPool named by both Clusters' Metal3DataTemplates; a template owned by two Clusters;
 * and (applied after loading, see {@link #DELETING_MACHINE}) a Machine being deleted.
 */
public final class RealSite {

    /** The in-cluster IPAM provider's cluster-scoped pool CRD. */
    public static final String GLOBAL_POOL_CRD = "globalinclusterippools.ipam.cluster.x-k8s.io";

    /**
     * Upstream's kustomize labels the in-cluster IPAM CRDs for clusterctl move-hierarchy at install time, so a site's
     * servers have that label; {@code on = false} takes it off again, so a pooled server goes back as it came.
     */
    public static void labelForMoveHierarchy(List<TestApiServer> servers, boolean on) {
        for (TestApiServer s : servers) {
            s.client().apiextensions().v1().customResourceDefinitions().withName(GLOBAL_POOL_CRD).edit(c -> {
                if (on) {
                    c.getMetadata().getLabels().put(io.pivotctl.vocabulary.ClusterApi.MOVE_HIERARCHY, "");
                } else {
                    c.getMetadata().getLabels().remove(io.pivotctl.vocabulary.ClusterApi.MOVE_HIERARCHY);
                }
                return c;
            });
        }
    }

    public static final String NS = "metal3";
    public static final String SITE_A = "site-a";
    public static final String SITE_B = "site-b";
    public static final String TOPOLOGY = "site-t";
    public static final String CLASS = "metal3-class";
    /** The namespace a platform team keeps shared ClusterClasses in (clusterctl move follows it since CAPI #11649). */
    public static final String CLASSES_NS = "classes";
    /** A ClusterClass in {@link #CLASSES_NS}, used by {@link #CROSS_NS_CLUSTER} in {@link #NS}. */
    public static final String SHARED_CLASS = "standard";
    public static final String CROSS_NS_CLUSTER = "site-x";
    /** In {@link #CLASSES_NS} but used by no Cluster of {@link #NS}: must not travel with {@code -n metal3}. */
    public static final String UNUSED_CLASS = "unused";
    public static final String CLASSES_MOVE_SECRET = "class-team-notes";
    /** The templates {@link #SHARED_CLASS} names, "Kind/name", all in {@link #CLASSES_NS}. */
    public static final List<String> SHARED_CLASS_TEMPLATES = List.of("Metal3ClusterTemplate/" + SHARED_CLASS + "-cluster",
            "KubeadmControlPlaneTemplate/" + SHARED_CLASS + "-cp", "Metal3MachineTemplate/" + SHARED_CLASS + "-cp-machine",
            "KubeadmConfigTemplate/" + SHARED_CLASS + "-worker-bootstrap", "Metal3MachineTemplate/" + SHARED_CLASS + "-worker-machine");
    public static final String GLOBAL_POOL = "provisioning-global";
    public static final String SHARED_TEMPLATE = "shared-workers";
    /** The worker Machine the test deletes (with a finalizer pending) after loading. */
    public static final String DELETING_MACHINE = SITE_A + "-workers-7d4f9-w1";
    public static final String DELETING_FINALIZER = "machine.cluster.x-k8s.io";
    public static final List<String> NESTED_SECRETS = List.of(SITE_A + "-encryption-config", SITE_A + "-audit-policy", SITE_A + "-ops-password");
    public static final String MOVE_SECRET = "site-ops-notes";
    public static final String MOVE_CONFIGMAP = "site-inventory";
    /** Values operators and Ironic write that look like something else in YAML. */
    public static final Map<String, String> AMBIGUOUS_ANNOTATIONS = Map.of(
            "ops.example.com/maintenance", "on", "ops.example.com/drained", "no", "ops.example.com/rack-slot", "012",
            "ops.example.com/weight", "1e3", "ops.example.com/since", "2026-11-25", "ops.example.com/owner", "null",
            "ops.example.com/asset", "0x1f", "ops.example.com/uptime", "12:34:56", "ops.example.com/note", "line one\nline two: yes\n",
            "ops.example.com/json", "{\"deleteAction\":\"delay\",\"force\":true}");
    public static final Map<String, String> AMBIGUOUS_LABELS = Map.of(
            "ops.example.com/enabled", "true", "ops.example.com/slot", "012", "ops.example.com/version", "1.10",
            "ops.example.com/flag", "off", "ops.example.com/id", "0x1f");

    private RealSite() {
    }

    public static List<ObjectNode> objects() {
        List<ObjectNode> out = new ArrayList<>(Metal3Fleet.of(NS, List.of(new Metal3Fleet.ClusterSpec(SITE_A, 1, 2),
                new Metal3Fleet.ClusterSpec(SITE_B, 1, 1)), 1));
        int n = 0;
        for (ObjectNode o : out) {
            String kind = o.path("kind").asText();
            if (kind.equals("BareMetalHost")) {
                inspected(o, n++);
            } else if (kind.equals("HardwareData")) {
                ((ObjectNode) o.with("spec")).set("hardware", hardware(o.path("metadata").path("name").asText(), n - 1));
            } else if (kind.equals("KubeadmControlPlane") && o.path("metadata").path("name").asText().equals(SITE_A)) {
                nestedSecrets(o);
            } else if (kind.equals("Metal3DataTemplate")) { // both clusters draw provisioning addresses from the global pool
                ObjectNode ipv4 = o.with("spec").with("networkData").with("networks").withArray("ipv4").addObject();
                ipv4.put("id", "provisioning").put("link", "enp1s0");
                ipv4.putObject("fromPoolRef").put("apiGroup", "ipam.cluster.x-k8s.io").put("kind", "GlobalInClusterIPPool").put("name", GLOBAL_POOL);
            }
        }
        out.forEach(RealSite::ambiguousHostMetadata);
        for (String s : NESTED_SECRETS) {
            out.add(secret(s, Map.of("value", "realsite-secret-" + s), Map.of()));
        }
        out.add(secret(MOVE_SECRET, Map.of("notes", "realsite-secret-ops-notes"), Map.of("clusterctl.cluster.x-k8s.io/move", "")));
        out.add(json(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", MOVE_CONFIGMAP, "namespace", NS,
                "labels", Map.of("clusterctl.cluster.x-k8s.io/move", "")), "data", Map.of("racks", "r1,r2", "count", "012"))));
        out.add(json(Map.of("apiVersion", "ipam.cluster.x-k8s.io/v1alpha2", "kind", "GlobalInClusterIPPool",
                "metadata", Map.of("name", GLOBAL_POOL), "spec", Map.of("addresses", List.of("172.23.0.10-172.23.0.200"), "prefix", 24,
                        "gateway", "172.23.0.1"))));
        out.add(owned(json(Map.of("apiVersion", "infrastructure.cluster.x-k8s.io/v1beta2", "kind", "Metal3MachineTemplate",
                "metadata", Map.of("name", SHARED_TEMPLATE, "namespace", NS),
                "spec", Map.of("template", Map.of("spec", Map.of("dataTemplate", Map.of("name", SITE_B + "-template"),
                        "image", Map.of("url", "http://172.22.0.1/images/ubuntu-24.04.qcow2", "checksum", "http://172.22.0.1/images/ubuntu-24.04.qcow2.sha256sum",
                                "checksumType", "sha256")))))), SITE_A, SITE_B));
        out.addAll(topologyCluster());
        out.addAll(crossNamespaceClass());
        return out;
    }

    /** Ironic's inspection data as BMO writes it, and the root device hint that repeats the WWN. */
    private static void inspected(ObjectNode bmh, int n) {
        String name = bmh.path("metadata").path("name").asText();
        ((ObjectNode) bmh.with("status")).set("hardware", hardware(name, n));
        bmh.with("spec").putObject("rootDeviceHints").put("wwn", wwn(n)).put("deviceName", "/dev/sda");
        bmh.with("status").with("provisioning").putObject("rootDeviceHints").put("wwn", wwn(n)).put("deviceName", "/dev/sda");
        bmh.with("spec").put("bootMACAddress", allDigitMac(n));
    }

    static String wwn(int n) {
        return String.format(Locale.ROOT, "0x50014ee2b4e2%04x", n);
    }

    static String allDigitMac(int n) {
        return String.format(Locale.ROOT, "52:54:00:12:34:%02d", 10 + n);
    }

    private static ObjectNode hardware(String host, int n) {
        return json(Map.of(
                "cpu", Map.of("arch", "x86_64", "count", 64, "model", "Intel(R) Xeon(R) Gold 6338", "clockMegahertz", 2000.5),
                "ramMebibytes", 262144,
                "nics", List.of(Map.of("name", "enp1s0", "mac", allDigitMac(n), "ip", "172.22.0." + (10 + n), "speedGbps", 25, "pxe", true),
                        Map.of("name", "enp2s0", "mac", "00:00:00:00:00:00", "ip", "", "speedGbps", 0, "pxe", false)),
                "storage", List.of(map("name", "/dev/sda", "sizeBytes", 960197124096L, "rotational", false, "type", "SSD",
                        "wwn", wwn(n), "wwnWithExtension", wwn(n) + "0000000000000000", "wwnVendorExtension", "0x0000000000000000",
                        "hctl", "0:0:0:0", "serialNumber", "20231114" + String.format(Locale.ROOT, "%04d", n), "model", "MZ7LH960HAJR", "vendor", "ATA"),
                        Map.of("name", "/dev/sdb", "sizeBytes", 4000787030016L, "rotational", true, "type", "HDD", "hctl", "1:0:0:0",
                                "serialNumber", "0123456789", "wwn", "0x5000c500a0b1c2d3")),
                "systemVendor", Map.of("manufacturer", "Dell Inc.", "productName", "PowerEdge R650", "serialNumber", "000123" + n),
                "firmware", Map.of("bios", Map.of("vendor", "Dell Inc.", "version", "1.10", "date", "03/14/2025")),
                "hostname", host));
    }

    private static void ambiguousHostMetadata(ObjectNode o) {
        if (!o.path("kind").asText().equals("BareMetalHost")) {
            return;
        }
        ObjectNode meta = o.with("metadata");
        AMBIGUOUS_ANNOTATIONS.forEach(meta.with("annotations")::put);
        AMBIGUOUS_LABELS.forEach(meta.with("labels")::put);
    }

    private static void nestedSecrets(ObjectNode kcp) {
        ObjectNode spec = kcp.with("spec").with("kubeadmConfigSpec");
        ArrayNode files = spec.withArray("files");
        files.addObject().put("path", "/etc/kubernetes/encryption-config.yaml").put("owner", "root:root").put("permissions", "0600")
                .putObject("contentFrom").putObject("secret").put("name", NESTED_SECRETS.get(0)).put("key", "value");
        files.addObject().put("path", "/etc/kubernetes/audit-policy.yaml").putObject("contentFrom").putObject("secret")
                .put("name", NESTED_SECRETS.get(1)).put("key", "value");
        spec.withArray("users").addObject().put("name", "ops").putObject("passwdFrom").putObject("secret")
                .put("name", NESTED_SECRETS.get(2)).put("key", "value");
    }

    /** A ClusterClass {@code name} and the five templates it names, all in {@code namespace}. */
    private static List<ObjectNode> classWithTemplates(String name, String namespace) {
        List<ObjectNode> out = new ArrayList<>();
        String infra = "infrastructure.cluster.x-k8s.io/v1beta2";
        out.add(json(Map.of("apiVersion", "cluster.x-k8s.io/v1beta2", "kind", "ClusterClass", "metadata", Map.of("name", name, "namespace", namespace),
                "spec", Map.of(
                        "infrastructure", Map.of("templateRef", Map.of("apiVersion", infra, "kind", "Metal3ClusterTemplate", "name", name + "-cluster")),
                        "controlPlane", Map.of("templateRef", Map.of("apiVersion", "controlplane.cluster.x-k8s.io/v1beta2", "kind", "KubeadmControlPlaneTemplate",
                                "name", name + "-cp"), "machineInfrastructure", Map.of("templateRef", Map.of("apiVersion", infra, "kind", "Metal3MachineTemplate",
                                "name", name + "-cp-machine"))),
                        "workers", Map.of("machineDeployments", List.of(Map.of("class", "default-worker",
                                "bootstrap", Map.of("templateRef", Map.of("apiVersion", "bootstrap.cluster.x-k8s.io/v1beta2", "kind", "KubeadmConfigTemplate",
                                        "name", name + "-worker-bootstrap")),
                                "infrastructure", Map.of("templateRef", Map.of("apiVersion", infra, "kind", "Metal3MachineTemplate",
                                        "name", name + "-worker-machine")))))))));
        out.add(json(Map.of("apiVersion", infra, "kind", "Metal3ClusterTemplate", "metadata", Map.of("name", name + "-cluster", "namespace", namespace),
                "spec", Map.of("template", Map.of("spec", Map.of("cloudProviderEnabled", false))))));
        out.add(json(Map.of("apiVersion", "controlplane.cluster.x-k8s.io/v1beta2", "kind", "KubeadmControlPlaneTemplate",
                "metadata", Map.of("name", name + "-cp", "namespace", namespace),
                "spec", Map.of("template", Map.of("spec", Map.of("kubeadmConfigSpec", Map.of("format", "cloud-config")))))));
        for (String m : List.of(name + "-cp-machine", name + "-worker-machine")) {
            out.add(json(Map.of("apiVersion", infra, "kind", "Metal3MachineTemplate", "metadata", Map.of("name", m, "namespace", namespace),
                    "spec", Map.of("template", Map.of("spec", Map.of("image", Map.of("url", "http://172.22.0.1/images/ubuntu-24.04.qcow2",
                            "checksum", "http://172.22.0.1/images/ubuntu-24.04.qcow2.sha256sum", "checksumType", "sha256")))))));
        }
        out.add(json(Map.of("apiVersion", "bootstrap.cluster.x-k8s.io/v1beta2", "kind", "KubeadmConfigTemplate",
                "metadata", Map.of("name", name + "-worker-bootstrap", "namespace", namespace), "spec", Map.of("template", Map.of("spec", Map.of("format", "cloud-config"))))));
        return out;
    }

    private static List<ObjectNode> topologyCluster() {
        List<ObjectNode> out = classWithTemplates(CLASS, NS);
        out.add(json(Map.of("apiVersion", "cluster.x-k8s.io/v1beta2", "kind", "Cluster", "metadata", Map.of("name", TOPOLOGY, "namespace", NS),
                "spec", Map.of("topology", Map.of("classRef", Map.of("name", CLASS), "version", "v1.33.0")))));
        return out;
    }

    /**
     * {@link #SHARED_CLASS} and its templates in {@link #CLASSES_NS}, the templates owned by the class as CAPI's
     * ClusterClass controller sets them; {@link #CROSS_NS_CLUSTER} naming it by v1beta2 {@code classRef.namespace},
     * and decoys in the same namespace that no selected Cluster uses.
     */
    private static List<ObjectNode> crossNamespaceClass() {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode o : classWithTemplates(SHARED_CLASS, CLASSES_NS)) {
            if (!o.path("kind").asText().equals("ClusterClass")) {
                o.with("metadata").withArray("ownerReferences").addObject().put("apiVersion", "cluster.x-k8s.io/v1beta2")
                        .put("kind", "ClusterClass").put("name", SHARED_CLASS);
            }
            out.add(o);
        }
        out.add(json(Map.of("apiVersion", "cluster.x-k8s.io/v1beta2", "kind", "Cluster", "metadata", Map.of("name", CROSS_NS_CLUSTER, "namespace", NS),
                "spec", Map.of("topology", Map.of("classRef", Map.of("name", SHARED_CLASS, "namespace", CLASSES_NS), "version", "v1.33.0")))));
        out.addAll(classWithTemplates(UNUSED_CLASS, CLASSES_NS));
        ObjectNode notes = secret(CLASSES_MOVE_SECRET, Map.of("notes", "realsite-secret-class-notes"), Map.of("clusterctl.cluster.x-k8s.io/move", ""));
        notes.with("metadata").put("namespace", CLASSES_NS);
        out.add(notes);
        return out;
    }

    private static ObjectNode secret(String name, Map<String, String> values, Map<String, String> labels) {
        ObjectNode s = json(Map.of("apiVersion", "v1", "kind", "Secret", "type", "Opaque", "metadata", Map.of("name", name, "namespace", NS, "labels", labels)));
        ObjectNode data = s.putObject("data");
        values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return s;
    }

    private static ObjectNode owned(ObjectNode o, String... clusters) {
        ArrayNode refs = o.with("metadata").withArray("ownerReferences");
        for (String c : clusters) {
            refs.addObject().put("apiVersion", "cluster.x-k8s.io/v1beta2").put("kind", "Cluster").put("name", c);
        }
        return o;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static ObjectNode json(Map<String, ?> map) {
        return Json.MAPPER.valueToTree(map);
    }
}

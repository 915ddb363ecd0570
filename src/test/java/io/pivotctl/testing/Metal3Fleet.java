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
 * A consistent, realistic Metal3 management-cluster inventory made in code: clusters with control-plane
 * and worker machines, every per-host object (BMH with full status, HardwareData, BMC Secret, Machine,
 * KubeadmConfig, bootstrap Secret, Metal3Machine, Metal3DataClaim, Metal3Data, metadata/networkdata
 * Secrets, IPClaim, IPAddress) and the cluster-level objects, plus unclaimed spare hosts.
 * ownerReferences name their owners without uid; {@link InventoryLoader} fills the uids in.
 * Secret values are distinctive ("fleet-secret-...") so tests can scan archives for them.
 */
public final class Metal3Fleet {

    public record ClusterSpec(String name, int controlPlanes, int workers) {
    }

    static final String CAPI = "cluster.x-k8s.io/v1beta2";
    static final String BOOTSTRAP = "bootstrap.cluster.x-k8s.io/v1beta2";
    static final String CONTROLPLANE = "controlplane.cluster.x-k8s.io/v1beta2";
    static final String INFRA = "infrastructure.cluster.x-k8s.io/v1beta2";
    static final String IPAM = "ipam.metal3.io/v1alpha1";
    static final String BMO = "metal3.io/v1alpha1";
    public static final String CLUSTER_LABEL = "cluster.x-k8s.io/cluster-name";

    private final String namespace;
    private final List<ObjectNode> objects = new ArrayList<>();
    private int hostIndex;

    private Metal3Fleet(String namespace) {
        this.namespace = namespace;
    }

    /** The inventory of the given clusters plus {@code spares} unclaimed hosts. */
    public static List<ObjectNode> of(String namespace, List<ClusterSpec> clusters, int spares) {
        Metal3Fleet f = new Metal3Fleet(namespace);
        for (ClusterSpec c : clusters) {
            f.cluster(c);
        }
        for (int i = 0; i < spares; i++) {
            f.host("spare-" + i, null, null);
        }
        return List.copyOf(f.objects);
    }

    /** Hosts per cluster in {@link #fleet}. */
    public static final int FLEET_CLUSTER_HOSTS = 50;

    /** N hosts in clusters of 50 (each with 3 control planes and the rest workers), the synthetic fleet of the benchmark. */
    public static List<ObjectNode> fleet(String namespace, int hosts) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < fleetClusters(hosts); i++) {
            out.addAll(fleetCluster(namespace, hosts, i));
        }
        return List.copyOf(out);
    }

    /** How many clusters {@link #fleet} makes for N hosts. */
    public static int fleetClusters(int hosts) {
        return (hosts + FLEET_CLUSTER_HOSTS - 1) / FLEET_CLUSTER_HOSTS;
    }

    /**
     * Cluster {@code index} of {@link #fleet}, exactly the objects the whole fleet holds for it (host numbers, MACs and
     * addresses continue from the clusters before it), so a fleet of thousands of hosts can be made and loaded one
     * cluster at a time in bounded memory. Every ownerReference stays inside its cluster.
     */
    public static List<ObjectNode> fleetCluster(String namespace, int hosts, int index) {
        int first = index * FLEET_CLUSTER_HOSTS;
        if (index < 0 || first >= hosts) {
            throw new IllegalArgumentException("cluster " + index + " is not in a fleet of " + hosts + " hosts");
        }
        int n = Math.min(FLEET_CLUSTER_HOSTS, hosts - first);
        int cp = Math.min(3, n);
        Metal3Fleet f = new Metal3Fleet(namespace);
        f.hostIndex = first;
        f.cluster(new ClusterSpec(String.format(Locale.ROOT, "c%03d", index), cp, n - cp));
        return List.copyOf(f.objects);
    }

    /** The secret values this inventory holds (plaintext), for leak scans. */
    public static List<String> secretValues(List<ObjectNode> objects) {
        List<String> out = new ArrayList<>();
        for (ObjectNode o : objects) {
            if ("Secret".equals(o.path("kind").asText())) {
                o.path("stringData").forEach(v -> out.add(v.asText()));
                o.path("data").forEach(v -> out.add(new String(Base64.getDecoder().decode(v.asText()), StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    private void cluster(ClusterSpec c) {
        String cl = c.name();
        add(obj(CAPI, "Cluster", cl, cl, null).set("spec", json(Map.of(
                "paused", false,
                "clusterNetwork", Map.of("pods", Map.of("cidrBlocks", List.of("192.168.0.0/18")), "services", Map.of("cidrBlocks", List.of("10.96.0.0/12"))),
                "controlPlaneEndpoint", Map.of("host", "192.168.111.249", "port", 6443),
                "infrastructureRef", Map.of("apiGroup", "infrastructure.cluster.x-k8s.io", "kind", "Metal3Cluster", "name", cl),
                "controlPlaneRef", Map.of("apiGroup", "controlplane.cluster.x-k8s.io", "kind", "KubeadmControlPlane", "name", cl)))));
        status(last(), Map.of("phase", "Provisioned"));
        ownedBy(add(obj(INFRA, "Metal3Cluster", cl, cl, null)), CAPI, "Cluster", cl, false)
                .set("spec", json(Map.of("controlPlaneEndpoint", Map.of("host", "192.168.111.249", "port", 6443), "cloudProviderEnabled", false)));
        ownedBy(add(obj(INFRA, "Metal3DataTemplate", cl + "-template", cl, null)), CAPI, "Cluster", cl, false)
                .set("spec", json(Map.of("clusterName", cl, "metaData", Map.of(
                        "strings", List.of(Map.of("key", "cluster", "value", cl)),
                        "ipAddressesFromPool", List.of(Map.of("key", "provisioningIP", "apiGroup", "ipam.metal3.io", "kind", "IPPool", "name", cl + "-prov"))),
                        "networkData", Map.of("links", Map.of("ethernets", List.of(Map.of("type", "phy", "id", "enp1s0",
                                "macAddress", Map.of("fromHostInterface", "enp1s0"))))))));
        ownedBy(add(obj(IPAM, "IPPool", cl + "-prov", cl, null)), CAPI, "Cluster", cl, false)
                .set("spec", json(Map.of("clusterName", cl, "namePrefix", cl + "-prov", "prefix", 24, "gateway", "172.22.0.1",
                        "pools", List.of(Map.of("start", "172.22.0.10", "end", "172.22.0.250")))));
        for (String role : List.of("controlplane", "workers")) {
            ownedBy(add(obj(INFRA, "Metal3MachineTemplate", cl + "-" + role, cl, null)), CAPI, "Cluster", cl, false)
                    .set("spec", json(Map.of("template", Map.of("spec", Map.of(
                            "dataTemplate", Map.of("name", cl + "-template"),
                            "image", image())))));
        }
        ownedBy(add(obj(BOOTSTRAP, "KubeadmConfigTemplate", cl + "-workers", cl, null)), CAPI, "Cluster", cl, false)
                .set("spec", json(Map.of("template", Map.of("spec", Map.of("format", "cloud-config")))));
        ownedBy(add(obj(CONTROLPLANE, "KubeadmControlPlane", cl, cl, null)), CAPI, "Cluster", cl, true)
                .set("spec", json(Map.of("replicas", c.controlPlanes(), "version", "v1.33.0",
                        "machineTemplate", Map.of("spec", Map.of("infrastructureRef",
                                Map.of("apiGroup", "infrastructure.cluster.x-k8s.io", "kind", "Metal3MachineTemplate", "name", cl + "-controlplane"))))));
        status(last(), Map.of("replicas", c.controlPlanes(), "version", "v1.33.0"));
        for (String s : List.of("kubeconfig", "ca", "etcd", "sa", "proxy")) {
            ownedBy(add(secret(cl + "-" + s, cl, "cluster.x-k8s.io/secret", Map.of(
                    s.equals("kubeconfig") ? "value" : "tls.key", "fleet-secret-" + cl + "-" + s))), CONTROLPLANE, "KubeadmControlPlane", cl, true);
        }
        for (int i = 0; i < c.controlPlanes(); i++) {
            machine(cl, cl + "-cp-" + i, CONTROLPLANE, "KubeadmControlPlane", cl, "controlplane");
        }
        if (c.workers() > 0) {
            String md = cl + "-workers";
            ownedBy(add(obj(CAPI, "MachineDeployment", md, cl, null)), CAPI, "Cluster", cl, false)
                    .set("spec", json(machineSetSpec(cl, md, c.workers())));
            status(last(), Map.of("replicas", c.workers(), "phase", "Running"));
            String ms = md + "-7d4f9";
            ownedBy(add(obj(CAPI, "MachineSet", ms, cl, null)), CAPI, "MachineDeployment", md, true)
                    .set("spec", json(machineSetSpec(cl, md, c.workers())));
            status(last(), Map.of("replicas", c.workers()));
            for (int i = 0; i < c.workers(); i++) {
                machine(cl, ms + "-w" + i, CAPI, "MachineSet", ms, "workers");
            }
        }
    }

    private static Map<String, Object> machineSetSpec(String cl, String md, int replicas) {
        return Map.of("clusterName", cl, "replicas", replicas,
                "selector", Map.of("matchLabels", Map.of("cluster.x-k8s.io/deployment-name", md)),
                "template", Map.of("metadata", Map.of("labels", Map.of("cluster.x-k8s.io/deployment-name", md)),
                        "spec", Map.of("clusterName", cl, "version", "v1.33.0",
                                "bootstrap", Map.of("configRef", Map.of("apiGroup", "bootstrap.cluster.x-k8s.io", "kind", "KubeadmConfigTemplate", "name", cl + "-workers")),
                                "infrastructureRef", Map.of("apiGroup", "infrastructure.cluster.x-k8s.io", "kind", "Metal3MachineTemplate", "name", cl + "-workers"))));
    }

    private void machine(String cl, String m, String ownerApi, String ownerKind, String ownerName, String role) {
        String host = cl + "-node-" + hostIndex;
        ownedBy(add(obj(CAPI, "Machine", m, cl, null)), ownerApi, ownerKind, ownerName, true).set("spec", json(Map.of(
                "clusterName", cl, "version", "v1.33.0", "providerID", "metal3://" + namespace + "/" + host + "/" + m,
                "bootstrap", Map.of("configRef", Map.of("apiGroup", "bootstrap.cluster.x-k8s.io", "kind", "KubeadmConfig", "name", m), "dataSecretName", m),
                "infrastructureRef", Map.of("apiGroup", "infrastructure.cluster.x-k8s.io", "kind", "Metal3Machine", "name", m))));
        status(last(), Map.of("phase", "Running", "nodeRef", Map.of("name", host)));
        ownedBy(add(obj(BOOTSTRAP, "KubeadmConfig", m, cl, null)), CAPI, "Machine", m, true)
                .set("spec", json(Map.of("format", "cloud-config")));
        status(last(), Map.of("dataSecretName", m));
        ownedBy(add(secret(m, cl, "cluster.x-k8s.io/secret", Map.of("value", "fleet-secret-bootstrap-" + m, "format", "cloud-config"))),
                BOOTSTRAP, "KubeadmConfig", m, true);
        ObjectNode m3m = ownedBy(add(obj(INFRA, "Metal3Machine", m, cl, Map.of("metal3.io/BareMetalHost", namespace + "/" + host))), CAPI, "Machine", m, true);
        m3m.set("spec", json(Map.of("providerID", "metal3://" + namespace + "/" + host + "/" + m, "dataTemplate", Map.of("name", cl + "-template"),
                "image", image(), "userData", Map.of("name", m, "namespace", namespace),
                "metaData", Map.of("name", m + "-metadata", "namespace", namespace), "networkData", Map.of("name", m + "-networkdata", "namespace", namespace))));
        ownedBy(add(obj(INFRA, "Metal3DataClaim", m, cl, null)), INFRA, "Metal3Machine", m, true)
                .set("spec", json(Map.of("template", Map.of("name", cl + "-template"))));
        status(last(), Map.of("renderedData", Map.of("name", cl + "-template-" + hostIndex)));
        String data = cl + "-template-" + hostIndex;
        ObjectNode d = ownedBy(add(obj(INFRA, "Metal3Data", data, cl, null)), INFRA, "Metal3DataClaim", m, true);
        ownedBy(d, INFRA, "Metal3Machine", m, false).set("spec", json(Map.of("index", hostIndex, "template", Map.of("name", cl + "-template"),
                "claim", Map.of("name", m), "metaData", Map.of("name", m + "-metadata"), "networkData", Map.of("name", m + "-networkdata"))));
        status(last(), Map.of("ready", true));
        ownedBy(add(secret(m + "-metadata", cl, "infrastructure.cluster.x-k8s.io/secret", Map.of("metaData", "local-hostname: " + host
                + "\nfleet-secret-metadata-" + m))), INFRA, "Metal3Data", data, true);
        ownedBy(add(secret(m + "-networkdata", cl, "infrastructure.cluster.x-k8s.io/secret", Map.of("networkData", "links: []\n# fleet-secret-networkdata-" + m))),
                INFRA, "Metal3Data", data, true);
        String claim = data + "-" + cl + "-prov";
        ownedBy(add(obj(IPAM, "IPClaim", claim, cl, null)), INFRA, "Metal3Data", data, true)
                .set("spec", json(Map.of("pool", Map.of("name", cl + "-prov", "namespace", namespace))));
        String ip = "172.22." + (hostIndex / 240) + "." + (10 + hostIndex % 240);
        String address = cl + "-prov-" + ip.replace('.', '-');
        status(last(), Map.of("address", Map.of("name", address, "namespace", namespace)));
        ObjectNode a = ownedBy(add(obj(IPAM, "IPAddress", address, cl, null)), IPAM, "IPPool", cl + "-prov", false);
        ownedBy(a, IPAM, "IPClaim", claim, false).set("spec", json(Map.of("pool", Map.of("name", cl + "-prov", "namespace", namespace),
                "claim", Map.of("name", claim, "namespace", namespace), "address", ip, "prefix", 24, "gateway", "172.22.0.1")));
        host(host, cl, m);
    }

    private void host(String name, String cluster, String m3m) {
        int n = hostIndex++;
        String mac = String.format(Locale.ROOT, "00:5c:52:%02x:%02x:%02x", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
        ObjectNode bmh = add(obj(BMO, "BareMetalHost", name, cluster, null));
        Map<String, Object> spec = new java.util.LinkedHashMap<>();
        spec.put("online", true);
        spec.put("bootMACAddress", mac);
        spec.put("bootMode", "UEFI");
        spec.put("bmc", Map.of("address", "redfish-virtualmedia+https://10.10.0." + (n % 250 + 1) + "/redfish/v1/Systems/1", "credentialsName", name + "-bmc-secret",
                "disableCertificateVerification", true));
        spec.put("rootDeviceHints", Map.of("deviceName", "/dev/sda"));
        if (m3m != null) {
            spec.put("consumerRef", Map.of("apiVersion", INFRA, "kind", "Metal3Machine", "name", m3m, "namespace", namespace));
            spec.put("image", image());
            spec.put("userData", Map.of("name", m3m, "namespace", namespace));
            spec.put("metaData", Map.of("name", m3m + "-metadata", "namespace", namespace));
            spec.put("networkData", Map.of("name", m3m + "-networkdata", "namespace", namespace));
        }
        bmh.set("spec", json(spec));
        Map<String, Object> hardware = Map.of(
                "cpu", Map.of("arch", "x86_64", "count", 64, "model", "Intel(R) Xeon(R) Gold 6338", "clockMegahertz", 2000),
                "ramMebibytes", 262144,
                "nics", List.of(Map.of("name", "enp1s0", "mac", mac, "ip", "172.22.0." + (10 + n % 240), "speedGbps", 25, "pxe", true)),
                "storage", List.of(Map.of("name", "/dev/sda", "sizeBytes", 960197124096L, "rotational", false, "type", "SSD")),
                "systemVendor", Map.of("manufacturer", "Dell Inc.", "productName", "PowerEdge R650", "serialNumber", "SN" + (100000 + n)),
                "firmware", Map.of("bios", Map.of("vendor", "Dell Inc.", "version", "1.13.2", "date", "03/14/2025")),
                "hostname", name);
        Map<String, Object> provisioning = new java.util.LinkedHashMap<>();
        provisioning.put("ID", String.format(Locale.ROOT, "8a5a0e5d-1c5e-4f35-9d3c-%012d", n));
        provisioning.put("state", m3m != null ? "provisioned" : "available");
        provisioning.put("bootMode", "UEFI");
        provisioning.put("rootDeviceHints", Map.of("deviceName", "/dev/sda"));
        if (m3m != null) {
            provisioning.put("image", image());
        }
        Map<String, Object> st = new java.util.LinkedHashMap<>();
        st.put("errorCount", 0);
        st.put("errorMessage", "");
        st.put("operationalStatus", "OK");
        st.put("poweredOn", m3m != null);
        st.put("provisioningFailCount", 0);
        st.put("lastUpdated", "2026-11-20T10:00:00Z");
        st.put("provisioning", provisioning);
        st.put("hardware", hardware);
        st.put("goodCredentials", Map.of("credentials", Map.of("name", name + "-bmc-secret", "namespace", namespace), "credentialsVersion", "1"));
        st.put("triedCredentials", Map.of("credentials", Map.of("name", name + "-bmc-secret", "namespace", namespace), "credentialsVersion", "1"));
        status(bmh, st);
        ownedBy(add(obj(BMO, "HardwareData", name, cluster, null)), BMO, "BareMetalHost", name, true).set("spec", json(Map.of("hardware", hardware)));
        ObjectNode bmc = ownedBy(add(secret(name + "-bmc-secret", cluster, "Opaque", Map.of("username", "root", "password", "fleet-secret-bmc-" + name))),
                BMO, "BareMetalHost", name, false);
        bmc.with("metadata").with("labels").put("environment.metal3.io", "baremetal");
    }

    private static Map<String, Object> image() {
        return Map.of("url", "http://172.22.0.1/images/ubuntu-24.04.qcow2", "checksum", "http://172.22.0.1/images/ubuntu-24.04.qcow2.sha256sum",
                "checksumType", "sha256");
    }

    private ObjectNode obj(String apiVersion, String kind, String name, String cluster, Map<String, String> annotations) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", apiVersion);
        o.put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", namespace);
        if (cluster != null && !"Cluster".equals(kind)) {
            meta.putObject("labels").put(CLUSTER_LABEL, cluster);
        }
        if (annotations != null) {
            annotations.forEach(meta.putObject("annotations")::put);
        }
        return o;
    }

    private ObjectNode secret(String name, String cluster, String type, Map<String, String> values) {
        ObjectNode s = obj("v1", "Secret", name, cluster, null);
        s.put("type", type);
        ObjectNode data = s.putObject("data");
        values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return s;
    }

    private static ObjectNode ownedBy(ObjectNode o, String apiVersion, String kind, String name, boolean controller) {
        ArrayNode refs = o.with("metadata").withArray("ownerReferences");
        ObjectNode ref = refs.addObject();
        ref.put("apiVersion", apiVersion);
        ref.put("kind", kind);
        ref.put("name", name);
        ref.put("controller", controller);
        ref.put("blockOwnerDeletion", true);
        return o;
    }

    private ObjectNode add(ObjectNode o) {
        objects.add(o);
        return o;
    }

    private ObjectNode last() {
        return objects.get(objects.size() - 1);
    }

    private static void status(ObjectNode o, Map<String, Object> status) {
        o.set("status", json(status));
    }

    private static ObjectNode json(Map<String, ?> map) {
        return Json.MAPPER.valueToTree(map);
    }
}

package io.pivotctl.graph;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.Json;
import io.pivotctl.vocabulary.ClusterApi;
import io.pivotctl.vocabulary.Metal3;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads every outgoing link of one object, whether or not the target exists: ownerReferences,
 * references by name (a rule table plus generic *SecretRef / *SecretName / IP-pool fields),
 * the Metal3Machine host annotation and the cluster-name label. One object's view only: links
 * that need the whole set (name conventions) are added by {@link ObjectGraph}.
 */
public final class Linker {

    static final String CAPI = "cluster.x-k8s.io";
    static final String IPAM = "ipam.metal3.io";

    private Linker() {
    }

    public static List<Edge> linksOf(JsonNode object) {
        ObjectId self = ObjectId.of(object);
        Set<Edge> edges = new LinkedHashSet<>();
        owners(object, self, edges);
        for (RefRule rule : RefRule.RULES) {
            if (rule.appliesTo(self)) {
                JsonNode field = Json.at(object, rule.path());
                ObjectId target = field == null ? null : rule.target(self, field);
                if (target != null) {
                    edges.add(new Edge(self, target, EdgeType.REF, false, rule.path()));
                }
            }
        }
        clusterClass(object, self, edges);
        resourceSet(object, self, edges);
        JsonNode spec = object.get("spec");
        if (spec != null) {
            generic(self, spec, "spec", edges);
        }
        String host = object.path("metadata").path("annotations").path(Metal3.MACHINE_HOST).asText(null);
        if (host != null && "Metal3Machine".equals(self.kind()) && host.contains("/")) {
            edges.add(new Edge(self, new ObjectId("metal3.io", "BareMetalHost", host.substring(0, host.indexOf('/')),
                    host.substring(host.indexOf('/') + 1)), EdgeType.ANNOTATION, false, "metadata.annotations[" + Metal3.MACHINE_HOST + "]"));
        }
        String cluster = object.path("metadata").path("labels").path(ClusterApi.CLUSTER_NAME).asText(null);
        if (cluster != null && !cluster.isEmpty() && !(CAPI.equals(self.group()) && "Cluster".equals(self.kind()))) {
            edges.add(new Edge(self, new ObjectId(CAPI, "Cluster", self.namespace(), cluster), EdgeType.LABEL, false,
                    "metadata.labels[" + ClusterApi.CLUSTER_NAME + "]"));
        }
        return dedupe(new ArrayList<>(edges));
    }

    private static void owners(JsonNode object, ObjectId self, Set<Edge> edges) {
        for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
            String name = ref.path("name").asText("");
            String kind = ref.path("kind").asText("");
            if (name.isEmpty() || kind.isEmpty()) {
                continue;
            }
            edges.add(new Edge(self, new ObjectId(ObjectId.groupOf(ref.path("apiVersion").asText("")), kind, self.namespace(), name),
                    EdgeType.OWNER, ref.path("controller").asBoolean(false), "metadata.ownerReferences"));
        }
    }

    /** Fields whose names say what they point at, anywhere under spec. */
    private static void generic(ObjectId self, JsonNode node, String path, Set<Edge> edges) {
        if (node.isArray()) {
            int i = 0;
            for (JsonNode item : node) {
                generic(self, item, path + "[" + i++ + "]", edges);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            String here = path + "." + key;
            if (key.endsWith("SecretRef") && value.isObject()) {
                ref(edges, self, new ObjectId("", "Secret", namespaceOf(value, self), value.path("name").asText("")), here);
            } else if (key.endsWith("SecretName") && value.isTextual()) {
                ref(edges, self, new ObjectId("", "Secret", self.namespace(), value.asText()), here);
            } else if (isPoolReference(key)) {
                for (JsonNode ref : value.isArray() ? value : List.of(value)) {
                    if (ref.isTextual()) {
                        ref(edges, self, new ObjectId(IPAM, "IPPool", self.namespace(), ref.asText()), here);
                    } else if (ref.isObject()) {
                        ref(edges, self, new ObjectId(ref.path("apiGroup").asText(IPAM), ref.path("kind").asText("IPPool"), self.namespace(),
                                ref.path("name").asText("")), here);
                    }
                }
            } else if (key.endsWith("From") && value.isObject()) {
                // kubeadm files[].contentFrom.secret, users[].passwdFrom.secret: no label, no owner, only this name
                ref(edges, self, new ObjectId("", "Secret", self.namespace(), value.path("secret").path("name").asText("")), here + ".secret");
                ref(edges, self, new ObjectId("", "ConfigMap", self.namespace(), value.path("configMap").path("name").asText("")), here + ".configMap");
            } else if (isTypedReference(key, value)) {
                String group = value.hasNonNull("apiGroup") ? value.get("apiGroup").asText() : ObjectId.groupOf(value.path("apiVersion").asText(""));
                ref(edges, self, new ObjectId(group, value.path("kind").asText(), namespaceOf(value, self), value.path("name").asText("")), here);
            }
            generic(self, value, here, edges);
        }
    }

    private static boolean isPoolReference(String key) {
        return key.endsWith("FromIPPool") || key.equals("fromIPPool") || key.endsWith("FromPool") || key.equals("fromPoolRef");
    }

    /**
     * A reference that says what it points at: a {@code ref}, {@code templateRef} or {@code *Ref} object
     * with kind, name and apiVersion or apiGroup (ClusterClass templates, remediation templates, and the
     * v1beta1/v1beta2 object references of any provider).
     */
    private static boolean isTypedReference(String key, JsonNode value) {
        return (key.equals("ref") || key.endsWith("Ref")) && value.isObject() && value.hasNonNull("kind") && value.hasNonNull("name")
                && (value.hasNonNull("apiVersion") || value.hasNonNull("apiGroup"));
    }

    /** A topology Cluster names its ClusterClass: v1beta2 {@code classRef {name, namespace}}, v1beta1 {@code class} + {@code classNamespace}. */
    private static void clusterClass(JsonNode object, ObjectId self, Set<Edge> edges) {
        if (!CAPI.equals(self.group()) || !"Cluster".equals(self.kind())) {
            return;
        }
        JsonNode topology = object.path("spec").path("topology");
        JsonNode classRef = topology.path("classRef");
        if (classRef.isObject()) {
            ref(edges, self, new ObjectId(CAPI, "ClusterClass", namespaceOf(classRef, self), classRef.path("name").asText("")), "spec.topology.classRef");
        } else if (topology.path("class").isTextual()) {
            String ns = topology.path("classNamespace").asText("");
            ref(edges, self, new ObjectId(CAPI, "ClusterClass", ns.isEmpty() ? self.namespace() : ns, topology.path("class").asText()), "spec.topology.class");
        }
    }

    /** ClusterResourceSet {@code spec.resources[] {kind: Secret|ConfigMap, name}}. */
    private static void resourceSet(JsonNode object, ObjectId self, Set<Edge> edges) {
        if (!"addons.cluster.x-k8s.io".equals(self.group()) || !"ClusterResourceSet".equals(self.kind())) {
            return;
        }
        int i = 0;
        for (JsonNode r : object.path("spec").path("resources")) {
            String kind = r.path("kind").asText("");
            if (kind.equals("Secret") || kind.equals("ConfigMap")) {
                ref(edges, self, new ObjectId("", kind, self.namespace(), r.path("name").asText("")), "spec.resources[" + i + "]");
            }
            i++;
        }
    }

    private static String namespaceOf(JsonNode ref, ObjectId self) {
        String ns = ref.path("namespace").asText("");
        return ns.isEmpty() ? self.namespace() : ns;
    }

    /** A reference by name from {@code self}, read at {@code field}; one that names nothing is no link. */
    private static void ref(Set<Edge> edges, ObjectId self, ObjectId target, String field) {
        if (!target.name().isEmpty()) {
            edges.add(new Edge(self, target, EdgeType.REF, false, field));
        }
    }

    /** One REF edge per target: the rule table's field name wins over a generic match of the same link. */
    private static List<Edge> dedupe(List<Edge> edges) {
        List<Edge> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (Edge e : edges) {
            String key = e.type() == EdgeType.REF ? "REF " + e.to() : e.type() + " " + e.to() + " " + e.field();
            if (seen.add(key)) {
                out.add(e);
            }
        }
        return out;
    }
}

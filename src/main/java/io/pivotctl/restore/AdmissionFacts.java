package io.pivotctl.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceType;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What on the target, besides kube-apiserver's own validation, could refuse the create of a core Secret or ConfigMap:
 * admission webhooks and ValidatingAdmissionPolicies whose rules match it, ResourceQuotas that count it, and whether
 * this user may create it at all (one SelfSubjectAccessReview per namespace and kind, as the dry run's authorization
 * would have told). Read once per preflight. When any of it cannot be read, nothing is known and every object keeps
 * its dry run.
 */
final class AdmissionFacts {

    static final String ADMISSION_GROUP = "admissionregistration.k8s.io";
    static final List<String> CORE_KINDS = List.of("secrets", "configmaps");
    private static final ResourceType QUOTA = new ResourceType("", "v1", "ResourceQuota", "resourcequotas", true, true);
    private static final ResourceType ACCESS_REVIEW = new ResourceType("authorization.k8s.io", "v1", "SelfSubjectAccessReview",
            "selfsubjectaccessreviews", false, false);

    /** Why every object keeps its dry run; null when the facts were read. */
    private final String unknown;
    /** By plural ("secrets"): the first admission rule that matches its creates, named. */
    private final Map<String, String> matchedBy;
    /** By "namespace/plural": what keeps that kind's dry runs there (a quota, a missing permission). */
    private final Map<String, String> keptIn;

    private final ResourceApi client;
    private final Discovery discovery;
    /** By "namespace apiVersion kind" of an owner: empty when blockOwnerDeletion on it is allowed, else why not known. */
    private final Map<String, Optional<String>> ownerChecks = new java.util.concurrent.ConcurrentHashMap<>();

    private AdmissionFacts(String unknown, Map<String, String> matchedBy, Map<String, String> keptIn, ResourceApi client, Discovery discovery) {
        this.unknown = unknown;
        this.matchedBy = matchedBy;
        this.keptIn = keptIn;
        this.client = client;
        this.discovery = discovery;
    }

    static AdmissionFacts unknown(String why) {
        return new AdmissionFacts(why, Map.of(), Map.of(), null, null);
    }

    static AdmissionFacts read(ResourceApi client, Discovery discovery, Set<String> namespaces) {
        try {
            Map<String, String> matched = new HashMap<>();
            List<String> versions = discovery.servedVersions(ADMISSION_GROUP);
            for (String kind : List.of("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy")) {
                Optional<ResourceType> type = servedAnywhere(discovery, versions, kind);
                if (type.isPresent()) {
                    client.forEach(type.get(), null, null, config -> matches(config).ifPresent(m -> CORE_KINDS.forEach(plural -> {
                        if (m.plurals().contains(plural)) {
                            matched.putIfAbsent(plural, kind + " " + config.path("metadata").path("name").asText() + m.where());
                        }
                    })));
                }
            }
            Map<String, String> kept = new HashMap<>();
            for (String ns : namespaces) {
                client.forEach(QUOTA, ns, null, quota -> countedByQuota(quota).forEach(plural ->
                        kept.putIfAbsent(ns + "/" + plural, "ResourceQuota " + ns + "/" + quota.path("metadata").path("name").asText() + " counts " + plural)));
                for (String plural : CORE_KINDS) {
                    if (!mayCreate(client, ns, plural)) {
                        kept.putIfAbsent(ns + "/" + plural, "creating " + plural + " in " + ns + " is not allowed for this user (the dry run names why)");
                    }
                }
            }
            return new AdmissionFacts(null, matched, kept, client, discovery);
        } catch (RuntimeException e) {
            return unknown("the target's admission configuration could not be read (" + ApiErrors.describe(e, "read", "admission configuration",
                    client.server()).getMessage() + ")");
        }
    }

    /** Empty when nothing but the server's own validation can refuse a create of {@code plural} in {@code namespace}, else why. */
    Optional<String> whatCouldRefuse(String namespace, String plural) {
        if (unknown != null) {
            return Optional.of(unknown);
        }
        if (matchedBy.containsKey(plural)) {
            return Optional.of(matchedBy.get(plural) + " matches " + plural);
        }
        return Optional.ofNullable(keptIn.get(namespace + "/" + plural));
    }

    /**
     * An ownerReference with blockOwnerDeletion: where the OwnerReferencesPermissionEnforcement admission plugin is on
     * (OpenShift has it), the create needs permission to update the owner's finalizers. Asked once per owner kind and
     * namespace with a SelfSubjectAccessReview, which is the plugin's own question; allowed means nothing can refuse it.
     */
    Optional<String> whatCouldRefuseOwner(String namespace, String apiVersion, String kind) {
        if (unknown != null) {
            return Optional.of(unknown);
        }
        return ownerChecks.computeIfAbsent(namespace + " " + apiVersion + " " + kind, k -> {
            int slash = apiVersion.indexOf('/');
            Optional<ResourceType> owner = discovery.find(slash < 0 ? "" : apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
            String why = "an ownerReference with blockOwnerDeletion to a " + kind + " whose finalizers this user may not be allowed to update";
            try {
                return owner.isPresent() && allowed(client, namespace, "update", owner.get(), "finalizers") ? Optional.empty() : Optional.of(why);
            } catch (RuntimeException e) {
                return Optional.of(why);
            }
        });
    }

    private static Optional<ResourceType> servedAnywhere(Discovery discovery, List<String> versions, String kind) {
        for (String version : versions) {
            Optional<ResourceType> t = discovery.find(ADMISSION_GROUP, version, kind);
            if (t.isPresent()) {
                return t;
            }
        }
        return Optional.empty();
    }

    /** The core plurals an admission configuration's rules cover for CREATE, and where (which webhook). */
    record Match(Set<String> plurals, String where) {
    }

    static Optional<Match> matches(JsonNode config) {
        JsonNode constraints = config.path("spec").path("matchConstraints");
        if (config.has("spec")) {
            // a policy with no resource rules matches nothing; one without matchConstraints is refused by the server anyway
            return covered(constraints.path("resourceRules")).map(p -> new Match(p, ""));
        }
        for (JsonNode webhook : config.path("webhooks")) {
            Optional<Set<String>> p = covered(webhook.path("rules"));
            if (p.isPresent()) {
                return Optional.of(new Match(p.get(), " (webhook " + webhook.path("name").asText() + ")"));
            }
        }
        return Optional.empty();
    }

    /** Selectors are not evaluated: a rule that could match is taken to match. */
    private static Optional<Set<String>> covered(JsonNode rules) {
        Set<String> out = new java.util.TreeSet<>();
        for (JsonNode r : rules) {
            if (!has(r.path("apiGroups"), "", "*") || !has(r.path("apiVersions"), "v1", "*") || !has(r.path("operations"), "CREATE", "*")) {
                continue;
            }
            for (String plural : CORE_KINDS) {
                if (has(r.path("resources"), plural, "*", "*/*")) {
                    out.add(plural);
                }
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    private static boolean has(JsonNode list, String... any) {
        if (!list.isArray() || list.isEmpty()) {
            return true; // absent: the server defaults it or refuses the rule; either way assume it matches
        }
        for (JsonNode v : list) {
            for (String a : any) {
                if (a.equals(v.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    static Set<String> countedByQuota(JsonNode quota) {
        Set<String> out = new java.util.TreeSet<>();
        for (Iterator<String> it = quota.path("spec").path("hard").fieldNames(); it.hasNext();) {
            String key = it.next();
            for (String plural : CORE_KINDS) {
                if (key.equals(plural) || key.equals("count/" + plural)) {
                    out.add(plural);
                }
            }
        }
        return out;
    }

    private static boolean mayCreate(ResourceApi client, String namespace, String plural) {
        return allowed(client, namespace, "create", new ResourceType("", "v1", "", plural, true, false), null);
    }

    private static boolean allowed(ResourceApi client, String namespace, String verb, ResourceType type, String subresource) {
        ObjectNode review = Json.MAPPER.createObjectNode();
        review.put("apiVersion", "authorization.k8s.io/v1").put("kind", "SelfSubjectAccessReview").putObject("metadata");
        ObjectNode attributes = review.with("spec").with("resourceAttributes").put("namespace", namespace).put("verb", verb)
                .put("group", type.group()).put("resource", type.plural());
        if (subresource != null) {
            attributes.put("subresource", subresource);
        }
        return client.create(ACCESS_REVIEW, review, false).path("status").path("allowed").asBoolean(false);
    }
}

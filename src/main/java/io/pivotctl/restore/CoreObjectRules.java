package io.pivotctl.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What kube-apiserver's own validation decides about a core Secret or ConfigMap create, checked locally (the rules of
 * {@code ValidateSecret}, {@code ValidateConfigMap} and {@code ValidateObjectMeta}): the name, label and annotation
 * keys and values, finalizers, ownerReferences, data key names, the 1 MiB data limit, and the built-in Secret types'
 * own rules. Anything these rules do not cover (another field, a type they do not know, stringData) is "not
 * proven", and the object keeps its server-side dry run. Returns why not, or empty when the server would accept it.
 */
final class CoreObjectRules {

    /** kube-apiserver's MaxSecretSize, which bounds ConfigMaps too. */
    static final int MAX_DATA_BYTES = 1024 * 1024;
    /** kube-apiserver's TotalAnnotationSizeLimitB. */
    static final int MAX_ANNOTATION_BYTES = 256 * 1024;

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");
    private static final Set<String> METADATA = Set.of("name", "namespace", "labels", "annotations", "ownerReferences", "finalizers");
    private static final Set<String> SECRET_FIELDS = Set.of("apiVersion", "kind", "metadata", "data", "type", "immutable");
    private static final Set<String> CONFIG_MAP_FIELDS = Set.of("apiVersion", "kind", "metadata", "data", "binaryData", "immutable");

    private CoreObjectRules() {
    }

    static Optional<String> whyNotProven(ObjectNode body) {
        String kind = body.path("kind").asText();
        if (!"v1".equals(body.path("apiVersion").asText()) || !("Secret".equals(kind) || "ConfigMap".equals(kind))) {
            return Optional.of("not a core Secret or ConfigMap");
        }
        boolean secret = "Secret".equals(kind);
        Optional<String> fields = onlyKnown(body, secret ? SECRET_FIELDS : CONFIG_MAP_FIELDS, "field");
        if (fields.isPresent()) {
            return fields;
        }
        Optional<String> meta = metadata(body.path("metadata"));
        if (meta.isPresent()) {
            return meta;
        }
        return secret ? secret(body) : configMap(body);
    }

    private static Optional<String> metadata(JsonNode meta) {
        if (!meta.isObject()) {
            return Optional.of("no metadata");
        }
        Optional<String> fields = onlyKnown(meta, METADATA, "metadata field");
        if (fields.isPresent()) {
            return fields;
        }
        String name = meta.path("name").asText("");
        if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            return Optional.of("name is not a DNS subdomain");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = meta.path("labels").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> l = it.next();
            String v = l.getValue().asText(null);
            if (!isQualifiedName(l.getKey()) || v == null || v.length() > 63 || !v.isEmpty() && !QUALIFIED_NAME_PART.matcher(v).matches()) {
                return Optional.of("a label the server would refuse");
            }
        }
        long annotationBytes = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = meta.path("annotations").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> a = it.next();
            if (!isQualifiedName(a.getKey().toLowerCase(java.util.Locale.ROOT)) || !a.getValue().isTextual()) {
                return Optional.of("an annotation the server would refuse");
            }
            annotationBytes += a.getKey().length() + a.getValue().asText().length();
        }
        if (annotationBytes > MAX_ANNOTATION_BYTES) {
            return Optional.of("annotations over 256 KiB");
        }
        for (JsonNode f : meta.path("finalizers")) {
            String v = f.asText("");
            if (!isQualifiedName(v) || !v.contains("/") && !STANDARD_FINALIZERS.contains(v)) {
                return Optional.of("a finalizer the server would refuse");
            }
        }
        return ownerReferences(meta.path("ownerReferences"));
    }

    /** The field rules (the permission blockOwnerDeletion needs is {@link AdmissionFacts#whatCouldRefuseOwner}). */
    private static Optional<String> ownerReferences(JsonNode refs) {
        int controllers = 0;
        for (JsonNode r : refs) {
            if (r.path("apiVersion").asText("").isEmpty() || r.path("kind").asText("").isEmpty() || r.path("name").asText("").isEmpty()
                    || r.path("uid").asText("").isEmpty()) {
                return Optional.of("an incomplete ownerReference");
            }
            controllers += r.path("controller").asBoolean(false) ? 1 : 0;
        }
        return controllers > 1 ? Optional.of("more than one controller reference") : Optional.empty();
    }

    private static Optional<String> secret(ObjectNode body) {
        long total = 0;
        Set<String> keys = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.path("data").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> d = it.next();
            if (!isDataKey(d.getKey())) {
                return Optional.of("a data key the server would refuse");
            }
            Optional<byte[]> value = decoded(d.getValue());
            if (value.isEmpty()) {
                return Optional.of("a data value that is not base64");
            }
            total += value.get().length;
            keys.add(d.getKey());
        }
        if (total > MAX_DATA_BYTES) {
            return Optional.of("data over 1 MiB");
        }
        return secretType(body.path("type").asText(""), keys, body.path("data"));
    }

    /** The built-in types' own rules; any other kubernetes.io/ type keeps its dry run. */
    private static Optional<String> secretType(String type, Set<String> keys, JsonNode data) {
        Optional<String> missing = switch (type) {
            case "", "Opaque" -> Optional.empty();
            case "kubernetes.io/tls" -> keys.contains("tls.crt") && keys.contains("tls.key") ? Optional.empty() : Optional.of("a TLS Secret without tls.crt and tls.key");
            case "kubernetes.io/basic-auth" -> keys.contains("username") || keys.contains("password") ? Optional.empty()
                    : Optional.of("a basic-auth Secret without username or password");
            case "kubernetes.io/ssh-auth" -> keys.contains("ssh-privatekey") ? Optional.empty() : Optional.of("an ssh-auth Secret without ssh-privatekey");
            case "kubernetes.io/dockerconfigjson" -> parsesAsJsonObject(data.path(".dockerconfigjson")) ? Optional.empty()
                    : Optional.of("a dockerconfigjson Secret whose .dockerconfigjson does not parse");
            case "kubernetes.io/dockercfg" -> parsesAsJsonObject(data.path(".dockercfg")) ? Optional.empty()
                    : Optional.of("a dockercfg Secret whose .dockercfg does not parse");
            default -> type.startsWith("kubernetes.io/") ? Optional.of("Secret type " + type + " has rules only the server checks")
                    : type.length() <= 253 && DATA_KEY.matcher(type.replace("/", "")).matches() ? Optional.empty() : Optional.of("an unusual Secret type");
        };
        return missing;
    }

    private static Optional<String> configMap(ObjectNode body) {
        long total = 0;
        Set<String> keys = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.path("data").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> d = it.next();
            if (!isDataKey(d.getKey()) || !d.getValue().isTextual()) {
                return Optional.of("a data key the server would refuse");
            }
            total += d.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
            keys.add(d.getKey());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = body.path("binaryData").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> d = it.next();
            Optional<byte[]> value = decoded(d.getValue());
            if (!isDataKey(d.getKey()) || !keys.add(d.getKey()) || value.isEmpty()) {
                return Optional.of("a binaryData key the server would refuse");
            }
            total += value.get().length;
        }
        return total > MAX_DATA_BYTES ? Optional.of("data over 1 MiB") : Optional.empty();
    }

    private static Optional<String> onlyKnown(JsonNode node, Set<String> known, String what) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!known.contains(f)) {
                return Optional.of("its " + what + " " + io.pivotctl.Printable.of(f) + " is checked by the server only");
            }
        }
        return Optional.empty();
    }

    static boolean isDataKey(String key) {
        return key.length() <= 253 && DATA_KEY.matcher(key).matches() && !key.equals(".") && !key.equals("..") && !key.startsWith("..");
    }

    /** Kubernetes' IsQualifiedName: an optional DNS-subdomain prefix and "/", then a name of at most 63 characters. */
    static boolean isQualifiedName(String value) {
        int slash = value.indexOf('/');
        String name = slash < 0 ? value : value.substring(slash + 1);
        if (slash >= 0) {
            String prefix = value.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches() || name.contains("/")) {
                return false;
            }
        }
        return !name.isEmpty() && name.length() <= 63 && QUALIFIED_NAME_PART.matcher(name).matches();
    }

    private static Optional<byte[]> decoded(JsonNode value) {
        if (!value.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(value.asText()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean parsesAsJsonObject(JsonNode base64) {
        Optional<byte[]> bytes = decoded(base64);
        if (bytes.isEmpty()) {
            return false;
        }
        try {
            return Json.MAPPER.readTree(bytes.get()).isObject();
        } catch (IOException e) {
            return false;
        }
    }
}

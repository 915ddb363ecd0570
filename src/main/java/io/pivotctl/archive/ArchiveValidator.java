package io.pivotctl.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.graph.ObjectId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an archive offline (formats/pivot-archive-v1.md section 5) and lists every problem, not just
 * the first. A major format version it does not know is the one fatal error (nothing else can be read).
 */
public final class ArchiveValidator {

    private ArchiveValidator() {
    }

    /** The report plus the objects that parsed (Secrets only when a decryptor was given). */
    public record Result(ValidationReport report, List<ArchivedObject> objects) {
        public Result {
            objects = List.copyOf(objects);
        }
    }

    public static Result validate(ArchiveContents contents, ArchiveChecks checks) {
        try {
            return check(contents, checks);
        } catch (PivotctlException e) {
            throw e;
        } catch (RuntimeException e) {
            // a manifest damaged in a way the schema check reported but the later checks trip over
            throw PivotctlException.invalid("manifest.json is malformed: " + ArchiveReader.oneLine(e));
        }
    }

    /** A decrypted Secret entry, or why it could not be decrypted. */
    private record Opened(byte[] plaintext, String failure) {
    }

    /**
     * Decrypts every intact Secret entry, on all cores: one X25519 agreement per Secret is the slowest part of
     * reading a fleet's archive. Entries whose digest does not match are left to the sequential checks.
     */
    private static Map<String, Opened> openSecrets(Manifest manifest, ArchiveContents contents, ArchiveChecks checks) {
        if (checks.decryptor().isEmpty()) {
            return Map.of();
        }
        ArchiveChecks.SecretDecryptor decryptor = checks.decryptor().get();
        Map<String, Opened> out = new java.util.concurrent.ConcurrentHashMap<>();
        manifest.entries().parallelStream().filter(e -> Manifest.Entry.SECRET.equals(e.role()) && e.path() != null).forEach(e -> {
            byte[] bytes = contents.entry(e.path()).orElse(null);
            if (bytes == null || bytes.length != e.size() || !Digests.sha256(bytes).equals(e.sha256())) {
                return;
            }
            try {
                out.put(e.path(), new Opened(decryptor.open(e.path(), bytes), null));
            } catch (PivotctlException pe) {
                out.put(e.path(), new Opened(null, pe.getMessage()));
            }
        });
        return out;
    }

    private static Result check(ArchiveContents contents, ArchiveChecks checks) {
        List<String> errors = new ArrayList<>(contents.problems());
        List<String> warnings = new ArrayList<>();
        Manifest manifest = ManifestCodec.parse(contents.manifestBytes());
        errors.addAll(ManifestCodec.schemaProblems(contents.manifestBytes()));
        checkSignature(contents, checks, errors, warnings);

        Map<String, Manifest.Entry> listed = new HashMap<>();
        for (Manifest.Entry e : manifest.entries()) {
            if (e.path() == null) {
                continue; // reported by the schema check
            }
            if (listed.put(e.path(), e) != null) {
                errors.add("manifest lists entry '" + e.path() + "' twice");
            }
        }
        for (String path : contents.order()) {
            if (!listed.containsKey(path)) {
                errors.add("entry '" + path + "' is in the archive but not in the manifest");
            }
        }
        List<ArchivedObject> objects = new ArrayList<>();
        List<JsonNode> crds = new ArrayList<>();
        int decrypted = 0;
        Map<String, Opened> opened = openSecrets(manifest, contents, checks);
        for (Manifest.Entry e : manifest.entries()) {
            if (e.path() == null) {
                continue;
            }
            Optional<byte[]> data = contents.entry(e.path());
            if (data.isEmpty()) {
                errors.add("entry '" + e.path() + "' is listed in the manifest but missing from the archive");
                continue;
            }
            byte[] bytes = data.get();
            if (bytes.length != e.size() || !Digests.sha256(bytes).equals(e.sha256())) {
                errors.add("entry '" + e.path() + "' is corrupt: size/sha256 differ from the manifest (expected "
                        + e.size() + " bytes, found " + bytes.length + ")");
                continue;
            }
            if (Manifest.Entry.OBJECT.equals(e.role())) {
                parseObject(e, bytes, errors).ifPresent(o -> objects.add(new ArchivedObject(e, o)));
            } else if (Manifest.Entry.SECRET.equals(e.role())) {
                checkLayout(e, EntryPaths.secret(nz(e.namespace()), nz(e.name())), errors);
                Opened o = opened.get(e.path());
                if (o != null && o.failure() != null) {
                    errors.add(o.failure());
                } else if (o != null) {
                    Optional<ObjectNode> secret = parseObject(e, o.plaintext(), errors);
                    java.util.Arrays.fill(o.plaintext(), (byte) 0);
                    if (secret.isPresent()) {
                        objects.add(new ArchivedObject(e, secret.get()));
                        decrypted++;
                    }
                }
            } else if (Manifest.Entry.LEASES.equals(e.role())) {
                checkLeases(manifest, bytes, checks, errors, warnings);
            } else if (Manifest.Entry.CRD.equals(e.role())) {
                parseCrd(bytes).ifPresent(crds::add);
            }
        }
        checkKinds(manifest, ExportedKinds.withCrds(crds), errors);
        checkSecretsMetadata(manifest, listed, errors);
        if (manifest.encryption() != null && manifest.encryption().passphrase() && !listed.containsKey(EntryPaths.ARCHIVE_IDENTITY)) {
            errors.add("manifest says passphrase mode but " + EntryPaths.ARCHIVE_IDENTITY + " is not listed");
        }
        checkGraph(manifest, listed, errors, warnings);
        List<JsonNode> nodes = new ArrayList<>();
        objects.forEach(o -> nodes.add(o.object()));
        if (checks.decryptor().isEmpty()) {
            manifest.secrets().forEach(s -> nodes.add(stub(s)));
        }
        warnings.addAll(checks.closureChecker().danglingReferences(nodes));
        if (checks.decryptor().isEmpty() && !manifest.secrets().isEmpty()) {
            warnings.add(manifest.secrets().size() + " Secrets not decrypted: pass --identity or --passphrase-file to check them");
        }
        ValidationReport report = new ValidationReport(errors, warnings.stream().distinct().toList(), Optional.of(manifest), decrypted);
        return new Result(report, objects);
    }

    /** Every object and Secret entry must be of a kind export produces; the manifest's kind is the object's (checked above). */
    private static void checkKinds(Manifest manifest, ExportedKinds exported, List<String> errors) {
        for (Manifest.Entry e : manifest.entries()) {
            if (e.path() != null && e.isObject() && !exported.allows(e.group(), e.kind())) {
                errors.add(ExportedKinds.refusal(e.path(), e.group(), e.kind()));
            }
        }
    }

    /** A CRD entry's content; one that does not parse widens nothing (and import reports it when installing). */
    private static Optional<JsonNode> parseCrd(byte[] bytes) {
        try {
            JsonNode node = Json.YAML.readTree(bytes);
            return node instanceof ObjectNode ? Optional.of(node) : Optional.empty();
        } catch (IOException ex) {
            return Optional.empty();
        }
    }

    /** A Secret known only from its manifest metadata: enough for the graph (identity, labels, owners), no data. */
    static JsonNode stub(Manifest.SecretInfo s) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", "v1");
        o.put("kind", "Secret");
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", s.name());
        meta.put("namespace", s.namespace());
        meta.set("labels", Json.MAPPER.valueToTree(s.labels()));
        meta.set("ownerReferences", Json.MAPPER.valueToTree(s.ownerReferences()));
        return o;
    }

    private static void checkSignature(ArchiveContents contents, ArchiveChecks checks, List<String> errors, List<String> warnings) {
        if (checks.signatureVerifier().isPresent()) {
            if (contents.signature().isEmpty()) {
                errors.add("archive is not signed (no manifest.json.sig) but a verify key was given");
            } else if (!checks.signatureVerifier().get().verify(contents.manifestBytes(), contents.signature().get())) {
                errors.add("manifest signature does not verify with the given key: the archive was changed or signed by another key");
            }
        } else if (contents.signature().isPresent()) {
            warnings.add("archive is signed; pass --verify-key to check the signature");
        }
    }

    private static Optional<ObjectNode> parseObject(Manifest.Entry e, byte[] bytes, List<String> errors) {
        JsonNode node;
        try {
            node = Json.YAML.readTree(bytes);
        } catch (IOException ex) {
            // never echo the content: it may be a decrypted Secret
            errors.add("entry '" + e.path() + "' is not valid YAML");
            return Optional.empty();
        }
        if (!(node instanceof ObjectNode obj)) {
            errors.add("entry '" + e.path() + "' is not a Kubernetes object");
            return Optional.empty();
        }
        ObjectId actual = ObjectId.of(obj);
        ObjectId expected = EntryPaths.idOf(e);
        if (!actual.equals(expected)) {
            errors.add("entry '" + e.path() + "' holds " + actual + " but the manifest says " + expected);
            return Optional.empty();
        }
        if (Manifest.Entry.OBJECT.equals(e.role())) {
            String version = obj.path("apiVersion").asText("");
            String v = version.contains("/") ? version.substring(version.indexOf('/') + 1) : version;
            if (!v.equals(e.version())) {
                errors.add("entry '" + e.path() + "' has apiVersion " + version + " but the manifest says version " + e.version());
            }
            checkLayout(e, EntryPaths.object(nz(e.group()), nz(e.version()), nz(e.kind()), nz(e.namespace()), nz(e.name())), errors);
        }
        return Optional.of(obj);
    }

    private static void checkLayout(Manifest.Entry e, String expectedPath, List<String> errors) {
        if (!expectedPath.equals(e.path())) {
            errors.add("entry '" + e.path() + "' is at the wrong path for " + EntryPaths.idOf(e) + " (expected '" + expectedPath + "')");
        }
    }

    private static void checkLeases(Manifest manifest, byte[] bytes, ArchiveChecks checks, List<String> errors, List<String> warnings) {
        ArchiveChecks.LeaseSummary summary = checks.leaseChecker().check(bytes);
        summary.problems().forEach(p -> warnings.add("leases: " + p));
        if (manifest.leases() == null) {
            errors.add("archive has " + EntryPaths.LEASES + " but the manifest has no leases summary");
        } else if (manifest.leases().count() != summary.count()) {
            errors.add("leases: manifest says " + manifest.leases().count() + " leases, the file has " + summary.count());
        }
    }

    private static void checkSecretsMetadata(Manifest manifest, Map<String, Manifest.Entry> listed, List<String> errors) {
        Set<String> secretPaths = new HashSet<>();
        for (Manifest.SecretInfo s : manifest.secrets()) {
            secretPaths.add(s.path());
            Manifest.Entry e = listed.get(s.path());
            if (e == null || !Manifest.Entry.SECRET.equals(e.role())) {
                errors.add("manifest describes Secret " + s.namespace() + "/" + s.name() + " but has no secret entry '" + s.path() + "'");
            } else if (!s.namespace().equals(e.namespace()) || !s.name().equals(e.name())) {
                errors.add("manifest Secret metadata " + s.namespace() + "/" + s.name() + " does not match entry '" + s.path() + "'");
            }
        }
        for (Manifest.Entry e : listed.values()) {
            if (Manifest.Entry.SECRET.equals(e.role()) && !secretPaths.contains(e.path())) {
                errors.add("secret entry '" + e.path() + "' has no Secret metadata in the manifest");
            }
        }
    }

    private static void checkGraph(Manifest manifest, Map<String, Manifest.Entry> listed, List<String> errors, List<String> warnings) {
        if (manifest.graph() == null) {
            return; // the schema check reports it
        }
        Map<String, Integer> levelOf = new HashMap<>();
        List<List<String>> levels = manifest.graph().levels();
        for (int i = 0; i < levels.size(); i++) {
            for (String id : levels.get(i)) {
                if (levelOf.put(id, i) != null) {
                    errors.add("graph: " + id + " appears in more than one restore level");
                }
            }
        }
        for (Manifest.Entry e : listed.values()) {
            if (e.isObject() && !levelOf.containsKey(EntryPaths.id(EntryPaths.idOf(e)))) {
                errors.add("graph: " + EntryPaths.idOf(e) + " has no restore level");
            }
        }
        for (Manifest.GraphEdge edge : manifest.graph().edges()) {
            Integer from = levelOf.get(edge.from());
            Integer to = levelOf.get(edge.to());
            if (from == null || to == null) {
                errors.add("graph: edge " + edge.from() + " -> " + edge.to() + " names an object that is not in the archive");
            } else if ("owner".equals(edge.type()) && from <= to && !inCycle(manifest, edge.from())) {
                errors.add("graph: " + edge.from() + " is restored at level " + from + ", not after its owner " + edge.to() + " (level " + to + ")");
            }
        }
        for (List<String> cycle : manifest.graph().cycles()) {
            warnings.add("graph: ownerReference cycle " + String.join(" -> ", cycle));
        }
        for (Manifest.GraphEdge d : manifest.graph().dangling()) {
            warnings.add("graph: " + d.from() + " " + d.field() + " refers to " + d.to() + ", which is not in the archive");
        }
    }

    private static boolean inCycle(Manifest manifest, String id) {
        return manifest.graph().cycles().stream().anyMatch(c -> c.contains(id));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

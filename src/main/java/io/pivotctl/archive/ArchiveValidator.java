package io.pivotctl.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.Printable;
import io.pivotctl.graph.ObjectId;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an archive offline (formats/pivot-archive-v1.md section 5) and lists every problem, not just the first. Fatal,
 * one line, and nothing read after them acted on: a major format version it does not know, a breach of the format's
 * limits or of the read's {@link HeldBudget}, a summary that contradicts the archive, and a signature that does not
 * verify when a key was given.
 *
 * <p>It works on a stream ({@link ValidationSession} is the sink of {@link ArchiveReader#scan}): each entry is checked
 * against the manifest (size, sha256, layout, identity), decrypted and parsed as it is read, and then only what later
 * steps need is kept: every object's body compactly ({@link ArchivedObject}), the small non-object entries, and the
 * problems. What is kept counts against the {@link HeldBudget}.
 */
public final class ArchiveValidator {

    /** Secrets decrypted together, on all cores (one X25519 agreement each is the slowest part of a read). */
    static final int SECRET_BATCH = 64;

    private ArchiveValidator() {
    }

    /**
     * The report, the objects that parsed (Secrets only when decrypted), the verified entries that are not objects
     * (leases, CRDs, the archive identity) by path, whether a signature entry was present, the bytes held, and the
     * archive's summary as found (from the manifest, its digest and the hosts read; it agrees with summary.json).
     */
    public record Result(ValidationReport report, List<ArchivedObject> objects, Map<String, byte[]> otherEntries, boolean signed,
            long heldBytes, Summary summary) {
        public Result {
            objects = List.copyOf(objects);
            otherEntries = Map.copyOf(otherEntries);
        }
    }

    /** Validates contents already read whole (tests, small archives): the same checks as a streamed read, in archive order. */
    public static Result validate(ArchiveContents contents, ArchiveChecks checks) {
        ValidationSession s = new ValidationSession(checks, HeldBudget.unbounded("archive content"), FormatLimits.MAX_ELEMENTS);
        return guarded(() -> {
            contents.entry(EntryPaths.SUMMARY).filter(x -> contents.order().indexOf(EntryPaths.SUMMARY) == 0)
                    .ifPresent(summary -> s.entry(EntryPaths.SUMMARY, summary));
            s.manifest(new java.io.ByteArrayInputStream(contents.manifestBytes()), contents.manifestBytes().length);
            contents.signature().ifPresent(sig -> s.entry(EntryPaths.SIGNATURE, sig));
            for (String path : contents.order()) {
                if (!(EntryPaths.SUMMARY.equals(path) && contents.order().indexOf(path) == 0)) {
                    s.entry(path, contents.entries().get(path));
                }
            }
            return s.finish(contents.problems());
        });
    }

    /** Reads the archive with {@code reader} (which feeds the session and returns the reader's problems) and validates it as it streams. */
    public static Result validate(java.util.function.Function<ArchiveReader.EntrySink, List<String>> reader, ArchiveChecks checks,
            HeldBudget held) {
        return validate(reader, checks, ArchiveLimits.DEFAULT, held);
    }

    /** As above, read within {@code limits}: a manifest may not list more entries than the archive may hold. */
    public static Result validate(java.util.function.Function<ArchiveReader.EntrySink, List<String>> reader, ArchiveChecks checks,
            ArchiveLimits limits, HeldBudget held) {
        ValidationSession s = new ValidationSession(checks, held, limits.maxEntries());
        return guarded(() -> s.finish(reader.apply(s)));
    }

    private interface Step {
        Result run() throws IOException;
    }

    /** Runs a validation as an archive read: an Error on the way leaves the read counted (see {@link ArchiveReads}). */
    private static Result guarded(Step step) {
        ArchiveReads.Reading reading = ArchiveReads.start();
        try {
            return step.run();
        } catch (PivotctlException e) {
            throw e;
        } catch (IOException e) {
            throw PivotctlException.invalid("cannot read the archive: " + ArchiveReader.oneLine(e));
        } catch (RuntimeException e) {
            // a manifest damaged in a way the schema check reported but the later checks trip over
            throw PivotctlException.invalid("manifest.json is malformed: " + ArchiveReader.oneLine(e));
        } catch (OutOfMemoryError | StackOverflowError error) {
            reading.failed();
            throw error;
        } finally {
            reading.close();
        }
    }

    /** Untrusted text (a path, a name, an id from the archive) as a problem quotes it: cut, control characters replaced. */
    static String q(Object text) {
        return Printable.of(String.valueOf(text));
    }

    /** Every object and Secret entry must be of a kind export produces; the manifest's kind is the object's (checked above). */
    static void checkKinds(Manifest manifest, ExportedKinds exported, List<String> errors) {
        for (Manifest.Entry e : manifest.entries()) {
            if (e.path() != null && e.isObject() && !exported.allows(e.group(), e.kind())) {
                errors.add(ExportedKinds.refusal(q(e.path()), q(e.group()), q(e.kind())));
            }
        }
    }

    /**
     * What {@link ExportedKinds} reads of a CRD entry (labels, group, kind), not the whole (large) CRD; one that does not
     * parse widens nothing (and import reports it when installing).
     */
    static Optional<JsonNode> parseCrd(byte[] bytes) {
        try {
            JsonNode node = Json.YAML.readTree(bytes);
            if (!(node instanceof ObjectNode)) {
                return Optional.empty();
            }
            ObjectNode slim = Json.MAPPER.createObjectNode();
            slim.putObject("metadata").set("labels", node.path("metadata").path("labels").deepCopy());
            ObjectNode spec = slim.putObject("spec");
            spec.set("group", node.path("spec").path("group").deepCopy());
            spec.putObject("names").set("kind", node.path("spec").path("names").path("kind").deepCopy());
            return Optional.of(slim);
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

    static Optional<ObjectNode> parseObject(Manifest.Entry e, byte[] bytes, List<String> errors) {
        JsonNode node;
        try {
            node = Json.YAML.readTree(bytes);
        } catch (IOException ex) {
            // never echo the content: it may be a decrypted Secret
            errors.add("entry '" + q(e.path()) + "' is not valid YAML");
            return Optional.empty();
        }
        if (!(node instanceof ObjectNode obj)) {
            errors.add("entry '" + q(e.path()) + "' is not a Kubernetes object");
            return Optional.empty();
        }
        ObjectId actual = ObjectId.of(obj);
        ObjectId expected = EntryPaths.idOf(e);
        if (!actual.equals(expected)) {
            errors.add("entry '" + q(e.path()) + "' holds " + q(actual) + " but the manifest says " + q(expected));
            return Optional.empty();
        }
        if (Manifest.Entry.OBJECT.equals(e.role())) {
            String version = obj.path("apiVersion").asText("");
            String v = version.contains("/") ? version.substring(version.indexOf('/') + 1) : version;
            if (!v.equals(e.version())) {
                errors.add("entry '" + q(e.path()) + "' has apiVersion " + q(version) + " but the manifest says version " + q(e.version()));
            }
            checkLayout(e, EntryPaths.object(nz(e.group()), nz(e.version()), nz(e.kind()), nz(e.namespace()), nz(e.name())), errors);
        }
        return Optional.of(obj);
    }

    static void checkLayout(Manifest.Entry e, String expectedPath, List<String> errors) {
        if (!expectedPath.equals(e.path())) {
            errors.add("entry '" + q(e.path()) + "' is at the wrong path for " + q(EntryPaths.idOf(e)) + " (expected '" + q(expectedPath) + "')");
        }
    }

    static void checkLeases(Manifest manifest, byte[] bytes, ArchiveChecks checks, List<String> errors, List<String> warnings) {
        ArchiveChecks.LeaseSummary summary = checks.leaseChecker().check(bytes);
        summary.problems().forEach(p -> warnings.add("leases: " + p));
        if (manifest.leases() == null) {
            errors.add("archive has " + EntryPaths.LEASES + " but the manifest has no leases summary");
        } else if (manifest.leases().count() != summary.count()) {
            errors.add("leases: manifest says " + manifest.leases().count() + " leases, the file has " + summary.count());
        }
    }

    static void checkSecretsMetadata(Manifest manifest, Map<String, Manifest.Entry> listed, List<String> errors) {
        Set<String> secretPaths = new HashSet<>();
        for (Manifest.SecretInfo s : manifest.secrets()) {
            secretPaths.add(s.path());
            Manifest.Entry e = listed.get(s.path());
            if (e == null || !Manifest.Entry.SECRET.equals(e.role())) {
                errors.add("manifest describes Secret " + q(s.namespace() + "/" + s.name()) + " but has no secret entry '" + q(s.path()) + "'");
            } else if (!s.namespace().equals(e.namespace()) || !s.name().equals(e.name())) {
                errors.add("manifest Secret metadata " + q(s.namespace() + "/" + s.name()) + " does not match entry '" + q(s.path()) + "'");
            }
        }
        for (Manifest.Entry e : listed.values()) {
            if (Manifest.Entry.SECRET.equals(e.role()) && !secretPaths.contains(e.path())) {
                errors.add("secret entry '" + q(e.path()) + "' has no Secret metadata in the manifest");
            }
        }
    }

    static void checkGraph(Manifest manifest, Map<String, Manifest.Entry> listed, List<String> errors, List<String> warnings) {
        if (manifest.graph() == null) {
            return; // the schema check reports it
        }
        Map<String, Integer> levelOf = new HashMap<>();
        List<List<String>> levels = manifest.graph().levels();
        for (int i = 0; i < levels.size(); i++) {
            for (String id : levels.get(i)) {
                if (levelOf.put(id, i) != null) {
                    errors.add("graph: " + q(id) + " appears in more than one restore level");
                }
            }
        }
        for (Manifest.Entry e : listed.values()) {
            if (e.isObject() && !levelOf.containsKey(EntryPaths.id(EntryPaths.idOf(e)))) {
                errors.add("graph: " + q(EntryPaths.idOf(e)) + " has no restore level");
            }
        }
        for (Manifest.GraphEdge edge : manifest.graph().edges()) {
            Integer from = levelOf.get(edge.from());
            Integer to = levelOf.get(edge.to());
            if (from == null || to == null) {
                errors.add("graph: edge " + q(edge.from()) + " -> " + q(edge.to()) + " names an object that is not in the archive");
            } else if ("owner".equals(edge.type()) && from <= to && !inCycle(manifest, edge.from())) {
                errors.add("graph: " + q(edge.from()) + " is restored at level " + from + ", not after its owner " + q(edge.to()) + " (level " + to + ")");
            }
        }
        for (List<String> cycle : manifest.graph().cycles()) {
            warnings.add("graph: ownerReference cycle " + q(String.join(" -> ", cycle)));
        }
        for (Manifest.GraphEdge d : manifest.graph().dangling()) {
            warnings.add("graph: " + q(d.from()) + " " + q(d.field()) + " refers to " + q(d.to()) + ", which is not in the archive");
        }
    }

    private static boolean inCycle(Manifest manifest, String id) {
        return manifest.graph().cycles().stream().anyMatch(c -> c.contains(id));
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }
}

package io.pivotctl.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.graph.ObjectId;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an archive offline (formats/pivot-archive-v1.md section 5) and lists every problem, not just
 * the first. A major format version it does not know is the one fatal error (nothing else can be read).
 *
 * <p>It works on a stream ({@link Session} is the sink of {@link ArchiveReader#scan}): each entry is checked against
 * the manifest (size, sha256, layout, identity), decrypted and parsed as it is read, and then only what later steps
 * need is kept: every object's body compactly ({@link ArchivedObject}), the small non-object entries, and the
 * problems. What is kept counts against a {@link HeldBudget}.
 */
public final class ArchiveValidator {

    /** Secrets decrypted together, on all cores (one X25519 agreement each is the slowest part of a read). */
    static final int SECRET_BATCH = 64;

    private ArchiveValidator() {
    }

    /**
     * The report, the objects that parsed (Secrets only when decrypted), the verified entries that are not objects
     * (leases, CRDs, the archive identity) by path, whether a signature entry was present, and the bytes held.
     */
    public record Result(ValidationReport report, List<ArchivedObject> objects, Map<String, byte[]> otherEntries, boolean signed,
            long heldBytes) {
        public Result {
            objects = List.copyOf(objects);
            otherEntries = Map.copyOf(otherEntries);
        }
    }

    /** Validates contents already read whole (tests, small archives): the same checks as a streamed read. */
    public static Result validate(ArchiveContents contents, ArchiveChecks checks) {
        Session s = new Session(checks, new HeldBudget(Long.MAX_VALUE, 1, "archive content", Long.MAX_VALUE));
        return guarded(() -> {
            s.manifest(new java.io.ByteArrayInputStream(contents.manifestBytes()), contents.manifestBytes().length);
            contents.signature().ifPresent(sig -> s.entry(EntryPaths.SIGNATURE, sig));
            for (String path : contents.order()) {
                s.entry(path, contents.entries().get(path));
            }
            return s.finish(contents.problems());
        });
    }

    /** Reads the archive with {@code reader} (which feeds the session and returns the reader's problems) and validates it as it streams. */
    public static Result validate(java.util.function.Function<ArchiveReader.EntrySink, List<String>> reader, ArchiveChecks checks,
            HeldBudget held) {
        Session s = new Session(checks, held);
        return guarded(() -> s.finish(reader.apply(s)));
    }

    private interface Step {
        Result run() throws IOException;
    }

    private static Result guarded(Step step) {
        try {
            return step.run();
        } catch (PivotctlException e) {
            throw e;
        } catch (IOException e) {
            throw PivotctlException.invalid("cannot read the archive: " + ArchiveReader.oneLine(e));
        } catch (RuntimeException e) {
            // a manifest damaged in a way the schema check reported but the later checks trip over
            throw PivotctlException.invalid("manifest.json is malformed: " + ArchiveReader.oneLine(e));
        }
    }

    /** A Secret entry read and verified, waiting for its batch to be decrypted. */
    private record SealedSecret(Manifest.Entry entry, byte[] ciphertext) {
    }

    /** The streamed validation of one archive: entries in, problems and compact objects out. */
    public static final class Session implements ArchiveReader.EntrySink {
        private final ArchiveChecks checks;
        private final HeldBudget held;
        private final List<String> errors = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private Manifest manifest;
        private CompactBytes manifestBytes;
        private byte[] signature;
        private boolean signatureChecked;
        private final Map<String, Manifest.Entry> listed = new HashMap<>();
        private final Set<String> present = new HashSet<>();
        /** Entries read before the manifest (it must be first; a reordered archive is still checked whole). */
        private final Map<String, byte[]> early = new LinkedHashMap<>();
        private final List<ArchivedObject> objects = new ArrayList<>();
        private final Map<String, byte[]> others = new LinkedHashMap<>();
        private final List<JsonNode> crds = new ArrayList<>();
        private final List<SealedSecret> sealed = new ArrayList<>();
        private ArchiveChecks.SecretDecryptor decryptor;
        private int decrypted;
        private byte[] identity;
        private final Map<String, byte[]> dictionaries = new HashMap<>();

        Session(ArchiveChecks checks, HeldBudget held) {
            this.checks = checks;
            this.held = held;
            this.decryptor = checks.decryptor().orElse(null);
        }

        @Override
        public void manifest(InputStream in, long size) throws IOException {
            manifestBytes = CompactBytes.of(in);
            held.add(manifestBytes.heldBytes());
            ManifestCodec.Source source = manifestBytes::stream;
            manifest = ManifestCodec.parse(source);
            // the parsed manifest stays for the whole command: count its main part (the entries and graph ids)
            held.add(manifest.entries().size() * 160L + (manifest.graph() == null ? 0 : manifest.graph().edges().size() * 48L));
            errors.addAll(ManifestCodec.schemaProblems(source));
            for (Manifest.Entry e : manifest.entries()) {
                if (e.path() == null) {
                    continue; // reported by the schema check
                }
                if (listed.put(e.path(), e) != null) {
                    errors.add("manifest lists entry '" + e.path() + "' twice");
                }
            }
            held.add(listed.size() * 48L);
            for (Map.Entry<String, byte[]> e : early.entrySet()) {
                accept(e.getKey(), e.getValue());
            }
            early.clear();
        }

        @Override
        public void entry(String name, byte[] content) {
            if (manifest == null) {
                if (EntryPaths.SIGNATURE.equals(name)) {
                    signature = content;
                    return;
                }
                // never in an archive export wrote: held as read (deflating a bomb would only cost time), within the budget
                held.add(content.length + 64L + name.length());
                early.put(name, content);
                return;
            }
            accept(name, content);
        }

        private void accept(String path, byte[] bytes) {
            if (EntryPaths.SIGNATURE.equals(path)) {
                signature = bytes;
                return;
            }
            // the signature comes right after the manifest: check it before any other entry is acted on
            checkSignature();
            if (EntryPaths.ARCHIVE_IDENTITY.equals(path)) {
                identity = bytes; // as found: the decryptor factory checks it against the manifest before any scrypt
            }
            Manifest.Entry e = listed.get(path);
            if (e == null) {
                errors.add("entry '" + path + "' is in the archive but not in the manifest");
                return;
            }
            present.add(e.path());
            if (bytes.length != e.size() || !Digests.sha256(bytes).equals(e.sha256())) {
                errors.add("entry '" + e.path() + "' is corrupt: size/sha256 differ from the manifest (expected "
                        + e.size() + " bytes, found " + bytes.length + ")");
                return;
            }
            if (Manifest.Entry.OBJECT.equals(e.role())) {
                parseObject(e, bytes, errors).ifPresent(o -> keep(ArchivedObject.of(e, o, bytes, dictionary(e, bytes))));
            } else if (Manifest.Entry.SECRET.equals(e.role())) {
                checkLayout(e, EntryPaths.secret(nz(e.namespace()), nz(e.name())), errors);
                if (checks.decrypts()) {
                    held.add(bytes.length + 64L);
                    sealed.add(new SealedSecret(e, bytes));
                    if (sealed.size() >= SECRET_BATCH) {
                        openSealed();
                    }
                }
            } else {
                if (Manifest.Entry.LEASES.equals(e.role())) {
                    checkLeases(manifest, bytes, checks, errors, warnings);
                } else if (Manifest.Entry.CRD.equals(e.role())) {
                    parseCrd(bytes).ifPresent(crds::add);
                }
                held.add(bytes.length + e.path().length());
                others.put(e.path(), bytes);
            }
        }

        /**
         * The deflate dictionary of an entry's kind: the first body of that kind read (its last 32 KiB, what deflate
         * can use). Objects of one kind share most of their text, so later ones keep a fraction of their size. Held in
         * memory like the bodies (a Secret's is plaintext there too, never written anywhere).
         */
        private byte[] dictionary(Manifest.Entry e, byte[] body) {
            return dictionaries.computeIfAbsent(e.role() + "/" + e.group() + "/" + e.kind(), k -> {
                byte[] d = java.util.Arrays.copyOfRange(body, Math.max(0, body.length - (32 << 10)), body.length);
                held.add(d.length + 64L);
                return d;
            });
        }

        private void keep(ArchivedObject o) {
            held.add(o.heldBytes());
            objects.add(o);
        }

        private void checkSignature() {
            if (signatureChecked) {
                return;
            }
            signatureChecked = true;
            if (checks.signatureVerifier().isPresent()) {
                if (signature == null) {
                    errors.add("archive is not signed (no manifest.json.sig) but a verify key was given");
                } else if (!checks.signatureVerifier().get().verify(manifestBytes.bytes(), signature)) {
                    errors.add("manifest signature does not verify with the given key: the archive was changed or signed by another key");
                }
            } else if (signature != null) {
                warnings.add("archive is signed; pass --verify-key to check the signature");
            }
        }

        /** The decryptor, made now from what was read when it depends on the archive (passphrase mode). */
        private ArchiveChecks.SecretDecryptor decryptor() {
            if (decryptor == null) {
                ManifestCodec.Source source = manifestBytes::stream;
                decryptor = checks.decryptorFactory().orElseThrow().create(manifest, source, Optional.ofNullable(signature),
                        Optional.ofNullable(identity));
            }
            return decryptor;
        }

        /** Decrypts the waiting Secrets on all cores, then checks and keeps them in archive order. */
        private void openSealed() {
            if (sealed.isEmpty()) {
                return;
            }
            ArchiveChecks.SecretDecryptor d = decryptor();
            List<SealedSecret> batch = List.copyOf(sealed);
            sealed.clear();
            Object[] opened = new Object[batch.size()];
            java.util.stream.IntStream.range(0, batch.size()).parallel().forEach(i -> {
                try {
                    opened[i] = d.open(batch.get(i).entry().path(), batch.get(i).ciphertext());
                } catch (PivotctlException pe) {
                    opened[i] = pe.getMessage();
                }
            });
            for (int i = 0; i < batch.size(); i++) {
                Manifest.Entry e = batch.get(i).entry();
                if (opened[i] instanceof String failure) {
                    errors.add(failure);
                    continue;
                }
                byte[] plaintext = (byte[]) opened[i];
                Optional<ObjectNode> secret = parseObject(e, plaintext, errors);
                if (secret.isPresent()) {
                    keep(ArchivedObject.of(e, secret.get(), plaintext, dictionary(e, plaintext)));
                    decrypted++;
                }
                java.util.Arrays.fill(plaintext, (byte) 0);
            }
        }

        Result finish(List<String> readerProblems) {
            if (manifest == null) {
                throw PivotctlException.invalid("not a pivotctl archive: manifest.json is missing");
            }
            checkSignature();
            if (checks.decrypts()) {
                decryptor(); // keys that cannot be used fail the command even when the archive has no Secret
                openSealed();
            }
            List<String> all = new ArrayList<>(readerProblems);
            all.addAll(errors);
            for (Manifest.Entry e : manifest.entries()) {
                if (e.path() != null && !present.contains(e.path())) {
                    all.add("entry '" + e.path() + "' is listed in the manifest but missing from the archive");
                }
            }
            checkKinds(manifest, ExportedKinds.withCrds(crds), all);
            checkSecretsMetadata(manifest, listed, all);
            if (manifest.encryption() != null && manifest.encryption().passphrase() && !listed.containsKey(EntryPaths.ARCHIVE_IDENTITY)) {
                all.add("manifest says passphrase mode but " + EntryPaths.ARCHIVE_IDENTITY + " is not listed");
            }
            checkGraph(manifest, listed, all, warnings);
            Set<ObjectId> ids = new HashSet<>();
            Map<String, ObjectId> uids = new HashMap<>();
            for (ArchivedObject o : objects) {
                ids.add(o.id());
                if (!o.uid().isEmpty()) {
                    uids.put(o.uid(), o.id());
                }
            }
            List<Manifest.SecretInfo> stubs = checks.decrypts() ? List.of() : manifest.secrets();
            stubs.forEach(s -> ids.add(new ObjectId("", "Secret", s.namespace(), s.name())));
            warnings.addAll(checks.closureChecker().danglingReferences(ids, uids, closure(stubs)));
            if (!checks.decrypts() && !manifest.secrets().isEmpty()) {
                warnings.add(manifest.secrets().size() + " Secrets not decrypted: pass --identity or --passphrase-file to check them");
            }
            ValidationReport report = new ValidationReport(all, warnings.stream().distinct().toList(), Optional.of(manifest), decrypted);
            return new Result(report, objects, others, signature != null, held.total());
        }

        /** Every object parsed again as walked, plus Secrets known only from the manifest when they were not decrypted. */
        private Iterable<JsonNode> closure(List<Manifest.SecretInfo> stubs) {
            return () -> new Iterator<>() {
                private int i;

                @Override
                public boolean hasNext() {
                    return i < objects.size() + stubs.size();
                }

                @Override
                public JsonNode next() {
                    int at = i++;
                    return at < objects.size() ? objects.get(at).object() : stub(stubs.get(at - objects.size()));
                }
            };
        }
    }

    /** Every object and Secret entry must be of a kind export produces; the manifest's kind is the object's (checked above). */
    private static void checkKinds(Manifest manifest, ExportedKinds exported, List<String> errors) {
        for (Manifest.Entry e : manifest.entries()) {
            if (e.path() != null && e.isObject() && !exported.allows(e.group(), e.kind())) {
                errors.add(ExportedKinds.refusal(e.path(), e.group(), e.kind()));
            }
        }
    }

    /**
     * What {@link ExportedKinds} reads of a CRD entry (labels, group, kind), not the whole (large) CRD; one that does not
     * parse widens nothing (and import reports it when installing).
     */
    private static Optional<JsonNode> parseCrd(byte[] bytes) {
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

package io.pivotctl.archive;

import static io.pivotctl.archive.ArchiveValidator.q;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.PivotctlException;
import io.pivotctl.graph.ObjectId;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The streamed validation of one archive: entries in, problems and compact objects out. The preamble comes first
 * (section 1): {@code summary.json} (format 1.1), {@code manifest.json}, kept deflated and digested as it streams past,
 * and {@code manifest.json.sig}. With a verify key the signature is checked before the manifest is even parsed; then
 * the manifest is parsed within the budget and compared with the summary, all before any other entry is acted on.
 * Every later entry is checked against the manifest as it arrives.
 */
final class ValidationSession implements ArchiveReader.EntrySink {

    /** A Secret entry read and verified, waiting for its batch to be decrypted. */
    private record SealedSecret(Manifest.Entry entry, byte[] ciphertext) {
    }

    private final ArchiveChecks checks;
    private final HeldBudget held;
    private final int maxEntries;
    private final List<String> errors;
    private final List<String> warnings;
    private Summary summary;
    private Manifest manifest;
    private CompactBytes manifestBytes;
    private ArchiveChecks.SignedBytes signed;
    private byte[] signature;
    private boolean preambleDone;
    private final Map<String, Manifest.Entry> listed = new HashMap<>();
    private final Set<String> present = new HashSet<>();
    /** Entries read before the manifest (it must come first; a reordered archive is still checked whole). */
    private final Map<String, byte[]> early = new LinkedHashMap<>();
    private final List<ArchivedObject> objects = new ArrayList<>();
    private final Map<String, byte[]> others = new LinkedHashMap<>();
    private final List<JsonNode> crds = new ArrayList<>();
    private final List<SealedSecret> sealed = new ArrayList<>();
    private final Map<String, Integer> hostStates = new TreeMap<>();
    private ArchiveChecks.SecretDecryptor decryptor;
    private int decrypted;
    private byte[] identity;
    private final Map<String, byte[]> dictionaries = new HashMap<>();

    ValidationSession(ArchiveChecks checks, HeldBudget held, int maxEntries) {
        this.checks = checks;
        this.held = held;
        this.maxEntries = maxEntries;
        this.errors = new ChargedList(held);
        this.warnings = new ChargedList(held);
        this.decryptor = checks.decryptor().orElse(null);
    }

    /** Problems are held until the report: each counts against the budget (a hostile archive can make millions). */
    private static final class ChargedList extends ArrayList<String> {
        private static final long serialVersionUID = 1L;
        private final transient HeldBudget held;

        ChargedList(HeldBudget held) {
            this.held = held;
        }

        @Override
        public boolean add(String problem) {
            held.add(48L + problem.length());
            return super.add(problem);
        }

        @Override
        public boolean addAll(Collection<? extends String> problems) {
            problems.forEach(this::add);
            return !problems.isEmpty();
        }
    }

    /** Kept deflated and digested; parsed once its signature, which follows it, was checked ({@link #endPreamble}). */
    @Override
    public void manifest(InputStream in, long size) throws IOException {
        MessageDigest sha256 = Digests.sha256();
        manifestBytes = CompactBytes.of(new DigestInputStream(in, sha256), held::add);
        signed = new ArchiveChecks.SignedBytes(new Summary.ManifestDigest(manifestBytes.length(), Digests.hex(sha256)), manifestBytes::stream);
    }

    private void parseManifest() {
        ManifestCodec.Source source = signed.source();
        manifest = ManifestCodec.parse(source, held, maxEntries);
        errors.addAll(ManifestCodec.schemaProblems(source));
        checkSummary();
        for (Manifest.Entry e : manifest.entries()) {
            if (e.path() == null) {
                continue; // reported by the schema check
            }
            if (listed.put(e.path(), e) != null) {
                errors.add("manifest lists entry '" + q(e.path()) + "' twice");
            }
        }
        held.add(listed.size() * 48L);
    }

    /**
     * Format 1.1 archives begin with a summary; when there is one, it must say what the manifest says (its digest
     * included). The host states, known only once the hosts are read, are compared at the end.
     */
    private void checkSummary() {
        if (summary == null) {
            if (FormatVersions.requiresSummary(manifest.formatVersion())) {
                throw FormatVersions.missingSummary(manifest.formatVersion());
            }
            return;
        }
        Summary.Contents counted = Summary.Tally.of(manifest).contents(false)
                .withHostsPerState(summary.contents() == null ? null : summary.contents().hostsPerState());
        contradiction(summary.contradictions(Summary.describe(Summary.Header.of(manifest), counted, signed.digest(), summary.signature())));
    }

    private static void contradiction(List<String> fields) {
        if (!fields.isEmpty()) {
            throw PivotctlException.invalid("summary.json contradicts the archive (" + String.join(", ", fields) + "): it was changed or damaged;"
                    + " nothing else was read");
        }
    }

    @Override
    public void entry(String name, byte[] content) {
        if (manifestBytes == null) {
            if (EntryPaths.SUMMARY.equals(name) && summary == null && early.isEmpty() && signature == null) {
                summary = SummaryCodec.parse(content, held);
            } else if (EntryPaths.SIGNATURE.equals(name)) {
                keepSignature(content);
            } else {
                // never in an archive export wrote: held as read (deflating a bomb would only cost time), within the budget
                held.add(content.length + 64L + name.length());
                early.put(name, content);
            }
            return;
        }
        if (!preambleDone && EntryPaths.SIGNATURE.equals(name) && signature == null) {
            keepSignature(content);
            return;
        }
        endPreamble();
        accept(name, content);
    }

    private void keepSignature(byte[] content) {
        held.add(content.length + 64L);
        signature = content;
    }

    /**
     * Before the first entry after the signature is acted on: the summary must agree on whether the archive is signed,
     * with a verify key the signature must verify (fatal: nothing of an archive that fails it is used, its manifest is
     * not even parsed), and then the manifest is parsed and must agree with the summary.
     */
    private void endPreamble() {
        if (preambleDone) {
            return;
        }
        preambleDone = true;
        if (summary != null && (summary.signature() != null) != (signature != null)) {
            contradiction(List.of("signature"));
        }
        if (checks.signatureVerifier().isPresent()) {
            if (signature == null) {
                throw PivotctlException.invalid("archive is not signed (no manifest.json.sig) but a verify key was given");
            }
            String scheme = checks.signatureVerifier().get().verify(signed, signature);
            if (summary != null && !scheme.equals(summary.signature())) {
                contradiction(List.of("signature"));
            }
        } else if (signature != null) {
            warnings.add("archive is signed; pass --verify-key to check the signature");
        }
        parseManifest();
        for (Map.Entry<String, byte[]> e : early.entrySet()) {
            accept(e.getKey(), e.getValue());
        }
        early.clear();
    }

    private void accept(String path, byte[] bytes) {
        if (EntryPaths.ARCHIVE_IDENTITY.equals(path)) {
            identity = bytes; // as found: the decryptor factory checks it against the manifest before any scrypt
        }
        Manifest.Entry e = listed.get(path);
        if (e == null) {
            errors.add("entry '" + q(path) + "' is in the archive but not in the manifest");
            return;
        }
        present.add(e.path());
        if (bytes.length != e.size() || !Digests.sha256(bytes).equals(e.sha256())) {
            errors.add("entry '" + q(e.path()) + "' is corrupt: size/sha256 differ from the manifest (expected "
                    + e.size() + " bytes, found " + bytes.length + ")");
            return;
        }
        if (Manifest.Entry.OBJECT.equals(e.role())) {
            ArchiveValidator.parseObject(e, bytes, errors).ifPresent(o -> {
                countHost(e, o);
                keep(ArchivedObject.of(e, o, bytes, dictionary(e, bytes)));
            });
        } else if (Manifest.Entry.SECRET.equals(e.role())) {
            ArchiveValidator.checkLayout(e, EntryPaths.secret(ArchiveValidator.nz(e.namespace()), ArchiveValidator.nz(e.name())), errors);
            if (checks.decrypts()) {
                held.add(bytes.length + 64L);
                sealed.add(new SealedSecret(e, bytes));
                if (sealed.size() >= ArchiveValidator.SECRET_BATCH) {
                    openSealed();
                }
            }
        } else {
            if (Manifest.Entry.LEASES.equals(e.role())) {
                ArchiveValidator.checkLeases(manifest, bytes, checks, errors, warnings);
            } else if (Manifest.Entry.CRD.equals(e.role())) {
                ArchiveValidator.parseCrd(bytes).ifPresent(crds::add);
            }
            held.add(bytes.length + e.path().length());
            others.put(e.path(), bytes);
        }
    }

    private void countHost(Manifest.Entry e, ObjectNode o) {
        if ("BareMetalHost".equals(e.kind()) && "metal3.io".equals(e.group()) && hostStates.merge(Summary.hostState(o), 1, Integer::sum) == 1) {
            held.add(96L + Summary.hostState(o).length());
        }
    }

    /**
     * The deflate dictionary of an entry's kind: the first body of that kind read (its last 32 KiB, what deflate can
     * use). Objects of one kind share most of their text, so later ones keep a fraction of their size. Held in memory
     * like the bodies (a Secret's is plaintext there too, never written anywhere).
     */
    private byte[] dictionary(Manifest.Entry e, byte[] body) {
        return dictionaries.computeIfAbsent(e.role() + "/" + e.group() + "/" + e.kind(), k -> {
            byte[] d = java.util.Arrays.copyOfRange(body, Math.max(0, body.length - (32 << 10)), body.length);
            held.add(d.length + 64L + k.length());
            return d;
        });
    }

    private void keep(ArchivedObject o) {
        held.add(o.heldBytes());
        objects.add(o);
    }

    /** The decryptor, made now from what was read when it depends on the archive (passphrase mode). */
    private ArchiveChecks.SecretDecryptor decryptor() {
        if (decryptor == null) {
            decryptor = checks.decryptorFactory().orElseThrow().create(manifest, signed, Optional.ofNullable(signature), Optional.ofNullable(identity));
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
            Optional<ObjectNode> secret = ArchiveValidator.parseObject(e, plaintext, errors);
            if (secret.isPresent()) {
                keep(ArchivedObject.of(e, secret.get(), plaintext, dictionary(e, plaintext)));
                decrypted++;
            }
            java.util.Arrays.fill(plaintext, (byte) 0);
        }
    }

    ArchiveValidator.Result finish(List<String> readerProblems) {
        if (manifestBytes == null) {
            throw PivotctlException.invalid("not a pivotctl archive: manifest.json is missing");
        }
        endPreamble();
        if (checks.decrypts()) {
            decryptor(); // keys that cannot be used fail the command even when the archive has no Secret
            openSealed();
        }
        List<String> all = new ChargedList(held);
        all.addAll(readerProblems);
        all.addAll(errors);
        for (Manifest.Entry e : manifest.entries()) {
            if (e.path() != null && !present.contains(e.path())) {
                all.add("entry '" + q(e.path()) + "' is listed in the manifest but missing from the archive");
            }
        }
        if (all.isEmpty()) {
            checkHostStates();
        }
        checkArchive(all);
        ValidationReport report = new ValidationReport(all, warnings.stream().distinct().toList(), Optional.of(manifest), decrypted);
        return new ArchiveValidator.Result(report, objects, others, signature != null, held.total(), found());
    }

    /** The summary of what was read: the manifest counted, its digest, the hosts' states, the signature's scheme. */
    private Summary found() {
        String scheme = summary != null ? summary.signature() : signature == null ? null : LegacySummary.BYTES_SIGNATURE;
        return Summary.describe(Summary.Header.of(manifest), Summary.Tally.of(manifest).contents(false).withHostsPerState(hostStates),
                signed.digest(), scheme);
    }

    /** What the summary says of the hosts' states, now that every host was read. */
    private void checkHostStates() {
        if (summary != null && summary.contents() != null && summary.contents().hostsPerState() != null
                && !summary.contents().hostsPerState().equals(hostStates)) {
            contradiction(List.of("contents.hostsPerState"));
        }
    }

    /** The checks of the whole archive: kinds, Secrets' metadata, passphrase mode, graph, references. */
    private void checkArchive(List<String> all) {
        ArchiveValidator.checkKinds(manifest, ExportedKinds.withCrds(crds), all);
        ArchiveValidator.checkSecretsMetadata(manifest, listed, all);
        if (manifest.encryption() != null && manifest.encryption().passphrase() && !listed.containsKey(EntryPaths.ARCHIVE_IDENTITY)) {
            all.add("manifest says passphrase mode but " + EntryPaths.ARCHIVE_IDENTITY + " is not listed");
        }
        ArchiveValidator.checkGraph(manifest, listed, all, warnings);
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
                return at < objects.size() ? objects.get(at).object() : ArchiveValidator.stub(stubs.get(at - objects.size()));
            }
        };
    }
}

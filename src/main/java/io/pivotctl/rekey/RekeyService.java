package io.pivotctl.rekey;

import io.pivotctl.PivotctlException;
import io.pivotctl.Printable;
import io.pivotctl.Version;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ArchiveReader;
import io.pivotctl.archive.ArchiveWriter;
import io.pivotctl.archive.Digests;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.HeldBudget;
import io.pivotctl.archive.Manifest;
import io.pivotctl.crypto.IdentityFiles;
import io.pivotctl.crypto.ManifestSigner;
import io.pivotctl.crypto.SealingKeys;
import io.pivotctl.crypto.SecretOpener;
import io.pivotctl.validate.ArchiveKeys;
import io.pivotctl.validate.ArchiveValidation;
import io.pivotctl.validate.LoadedArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Re-encrypts an archive's Secrets for new recipients (formats/pivot-archive-v1.md section 4, Rekey). The source is
 * read three times as a stream, never held: validated with the old key (what validate checks, within its memory
 * bounds), then each Secret opened and sealed again into a {@link SecretSpool}, then copied entry by entry into the
 * target behind the new manifest. Every other entry keeps its bytes; the writer refuses any that is not the bytes the
 * manifest lists. The target is read back and validated before the rekey counts as done.
 */
public final class RekeyService {

    private final Consumer<String> progress;
    private final Consumer<String> warnings;

    public RekeyService(Consumer<String> progress, Consumer<String> warnings) {
        this.progress = progress;
        this.warnings = warnings;
    }

    public RekeyResult rekey(RekeyRequest req) {
        progress.accept("reading " + req.source() + " (validated with the old key)");
        LoadedArchive old = ArchiveValidation.load(req.source(), req.oldKeys(), ArchiveLimits.DEFAULT, warnings);
        checkSignature(req, old);
        SecretOpener opener = oldOpener(req.oldKeys(), old);
        try (SecretSpool spool = new SecretSpool()) {
            progress.accept("re-encrypting " + old.manifest().secrets().size() + " Secret(s) for " + req.newKeys().recipients().size() + " recipient(s)");
            reseal(req, old.manifest(), opener, spool);
            Manifest rekeyed = rekeyedManifest(old.manifest(), req.newKeys(), spool);
            Map<String, Integer> states = old.summary() == null || old.summary().contents().hostsPerState() == null ? Map.of()
                    : old.summary().contents().hostsPerState();
            ArchiveWriter.Listed listed = new ArchiveWriter.Listed(rekeyed, states);
            Optional<ArchiveWriter.Signer> signer = req.signKey()
                    .map(key -> ArchiveWriter.Signer.of(ManifestSigner.SHA256_SCHEME, sha -> ManifestSigner.signatureFile(sha, key)));
            progress.accept("writing " + req.target());
            req.target().write((out, gzip) -> ArchiveWriter.writeListed(out, gzip, listed, signer, entries -> copy(req, spool, entries)));
            progress.accept("reading back " + req.target());
            try {
                new ReadBack(req, spool).check(rekeyed);
            } catch (PivotctlException e) {
                req.target().delete(); // an archive that failed its read-back is never left to be trusted
                throw e;
            }
            int kept = (int) rekeyed.entries().stream().filter(e -> spool.slot(e.path()) == null && !EntryPaths.ARCHIVE_IDENTITY.equals(e.path())).count();
            return new RekeyResult(req.source().toString(), req.target().toString(), rekeyed.archiveId(), spool.size(), kept,
                    rekeyed.rekeyHistory().get(rekeyed.rekeyHistory().size() - 1), signer.isPresent());
        }
    }

    /** A signature that no longer verifies is never kept: a signed source needs a key to sign again, or the explicit choice to drop it. */
    static void checkSignature(RekeyRequest req, LoadedArchive old) {
        if (old.signed() && req.signKey().isEmpty() && !req.dropSignature()) {
            throw PivotctlException.usage("archive " + req.source() + " is signed, and its signature cannot cover the rekeyed manifest: pass"
                    + " --sign-key FILE to sign it again (the key your backups are signed with), or --drop-signature to write it unsigned;"
                    + " nothing was written");
        }
    }

    private SecretOpener oldOpener(ArchiveKeys keys, LoadedArchive old) {
        if (keys.identity() != null) {
            return SecretOpener.fromIdentities(IdentityFiles.read(keys.identity(), warnings));
        }
        byte[] sealed = old.otherEntries().get(EntryPaths.ARCHIVE_IDENTITY);
        if (keys.passphrase() == null || sealed == null) {
            throw PivotctlException.usage("rekey needs the archive's current key: --identity FILE, or --passphrase-file FILE for a passphrase-mode archive");
        }
        return SecretOpener.fromPassphrase(keys.passphrase(), sealed);
    }

    /** Each Secret of the source, opened with the old key and sealed for the new keys into the spool; the plaintext is wiped at once. */
    private static void reseal(RekeyRequest req, Manifest manifest, SecretOpener opener, SecretSpool spool) {
        Map<String, Manifest.Entry> secrets = manifest.entries().stream().filter(e -> Manifest.Entry.SECRET.equals(e.role()))
                .collect(Collectors.toMap(Manifest.Entry::path, e -> e));
        scan(req, (name, content) -> {
            Manifest.Entry listed = secrets.get(name);
            if (listed == null) {
                return;
            }
            checkUnchanged(req, listed, content);
            byte[] plaintext = opener.open("entry '" + Printable.of(name) + "'", content);
            try {
                spool.add(name, req.newKeys().sealer().seal(plaintext), Digests.sha256(plaintext));
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        });
        if (spool.size() != secrets.size()) {
            throw PivotctlException.invalid("archive " + req.source() + " changed while it was rekeyed: " + spool.size() + " of "
                    + secrets.size() + " Secrets were found; nothing was written");
        }
    }

    private static void checkUnchanged(RekeyRequest req, Manifest.Entry listed, byte[] content) {
        if (content.length != listed.size() || !Digests.sha256(content).equals(listed.sha256())) {
            throw PivotctlException.invalid("archive " + req.source() + " changed while it was rekeyed: entry '" + Printable.of(listed.path())
                    + "' is not the one validated; nothing was written");
        }
    }

    /** The source's manifest with the new Secret digests, the new archive identity (or none), the new recipients and this rekey recorded. */
    static Manifest rekeyedManifest(Manifest m, SealingKeys keys, SecretSpool spool) {
        List<Manifest.Entry> entries = new ArrayList<>();
        for (Manifest.Entry e : m.entries()) {
            SecretSpool.Slot slot = spool.slot(e.path());
            if (slot != null) {
                entries.add(e.withDigest(slot.size(), slot.sha256()));
            } else if (!EntryPaths.ARCHIVE_IDENTITY.equals(e.path())) {
                entries.add(e);
            }
        }
        keys.sealedArchiveIdentity().ifPresent(b -> entries.add(Manifest.Entry.archiveIdentity().withDigest(b.length, Digests.sha256(b))));
        entries.sort(Comparator.comparing(Manifest.Entry::path));
        List<Manifest.Recipient> to = keys.recipients().stream().map(r -> new Manifest.Recipient(r.publicKey(), r.label())).toList();
        Manifest.Rekey rekey = new Manifest.Rekey(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                new Manifest.Tool(Version.TOOL_NAME, Version.current()), m.encryption().recipients(), to, keys.passphrase());
        List<Manifest.Rekey> history = new ArrayList<>(m.rekeyHistory());
        history.add(rekey);
        return m.toBuilder().formatVersion(Manifest.FORMAT_VERSION).encryption(new Manifest.Encryption(Manifest.Encryption.AGE_V1, to, keys.passphrase()))
                .entries(entries).rekeys(history).build();
    }

    /**
     * The source's entries again, in order, into the target: the summary, manifest and signature are the target's own,
     * Secrets come from the spool, the archive identity is the new one (placed where its name sorts), the rest as read.
     */
    private static void copy(RekeyRequest req, SecretSpool spool, ArchiveWriter.EntryOut out) {
        Optional<byte[]> newIdentity = req.newKeys().sealedArchiveIdentity();
        boolean[] identityWritten = {newIdentity.isEmpty()};
        scan(req, (name, content) -> {
            if (EntryPaths.SUMMARY.equals(name) || EntryPaths.SIGNATURE.equals(name) || EntryPaths.ARCHIVE_IDENTITY.equals(name)) {
                return;
            }
            if (!identityWritten[0] && EntryPaths.ARCHIVE_IDENTITY.compareTo(name) < 0) {
                put(req, out, EntryPaths.ARCHIVE_IDENTITY, newIdentity.get());
                identityWritten[0] = true;
            }
            put(req, out, name, spool.slot(name) != null ? spool.read(name) : content);
        });
        if (!identityWritten[0]) {
            put(req, out, EntryPaths.ARCHIVE_IDENTITY, newIdentity.get());
        }
    }

    private static void put(RekeyRequest req, ArchiveWriter.EntryOut out, String name, byte[] bytes) {
        try {
            out.put(name, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalStateException e) {
            throw PivotctlException.invalid("archive " + req.source() + " changed while it was rekeyed (" + e.getMessage() + "); the target was not kept");
        }
    }

    /** Every entry of the source but the manifest, one at a time, within the reader's limits. */
    private static void scan(RekeyRequest req, java.util.function.BiConsumer<String, byte[]> each) {
        ArchiveLimits limits = ArchiveLimits.DEFAULT;
        HeldBudget held = new HeldBudget(limits.maxTotalBytes(), HeldBudget.HELD_HEAP_SHARE, "what the rekey holds in memory");
        List<String> problems = req.source().scan(limits, held, new ArchiveReader.EntrySink() {
            @Override
            public void manifest(InputStream in, long size) {
                // the validated manifest is the one used; this copy is skipped
            }

            @Override
            public void entry(String name, byte[] content) {
                each.accept(name, content);
            }
        });
        if (!problems.isEmpty()) {
            throw PivotctlException.invalid("archive " + req.source() + " changed while it was rekeyed: " + problems.get(0));
        }
    }
}

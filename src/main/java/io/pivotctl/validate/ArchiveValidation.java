package io.pivotctl.validate;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.Printable;
import io.pivotctl.archive.ArchiveChecks;
import io.pivotctl.archive.ArchiveContents;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ArchiveValidator;
import io.pivotctl.archive.HeldBudget;
import io.pivotctl.archive.Digests;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.Summary;
import io.pivotctl.crypto.IdentityFiles;
import io.pivotctl.crypto.ManifestSigner;
import io.pivotctl.crypto.SecretOpener;
import io.pivotctl.graph.ObjectGraph;
import io.pivotctl.leases.LeaseFile;
import io.pivotctl.storage.ArchiveLocation;
import io.pivotctl.storage.LocalArchive;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Wires the archive checks to the keys, the lease parser and the object graph: what {@code validate},
 * {@code import} and {@code verify} all run first.
 */
public final class ArchiveValidation {

    private ArchiveValidation() {
    }

    /** Validates and returns the report with the parsed objects; never throws for an invalid archive except an unknown major version. */
    public static LoadedArchive validate(Path archive, ArchiveKeys keys, ArchiveLimits limits, Consumer<String> warnings) {
        return validate(new LocalArchive(archive), keys, limits, warnings);
    }

    /**
     * As {@link #validate(Path, ArchiveKeys, ArchiveLimits, Consumer)}, for a file or an object in S3-compatible storage.
     * The archive is read once, as a stream: each entry is checked, decrypted and parsed as it arrives, and only the
     * compact objects and small entries are kept (within {@link HeldBudget#HELD_HEAP_SHARE} of the heap).
     */
    public static LoadedArchive validate(ArchiveLocation archive, ArchiveKeys keys, ArchiveLimits limits, Consumer<String> warnings) {
        ArchiveChecks checks = ArchiveChecks.offline(ArchiveValidation::checkLeases, ArchiveValidation::dangling);
        PublicKey verifyKey = keys.verifyKey() == null ? null : ManifestSigner.readPublic(keys.verifyKey());
        if (keys.identity() != null) {
            // once the manifest parsed (a known major version), as every key step
            checks = checks.withDecryptorFactory((manifest, manifestBytes, signature, identity) ->
                    SecretOpener.fromIdentities(IdentityFiles.read(keys.identity(), warnings))::open);
        } else if (keys.passphrase() != null) {
            checks = checks.withDecryptorFactory((manifest, manifestBytes, signature, identity) -> {
                byte[] sealedIdentity = identity.orElseThrow(() -> PivotctlException.invalid("a passphrase was given but the archive was not made"
                        + " in passphrase mode (no " + EntryPaths.ARCHIVE_IDENTITY + "): use --identity"));
                checkBeforeScrypt(manifest, manifestBytes, signature, sealedIdentity, verifyKey);
                return SecretOpener.fromPassphrase(keys.passphrase(), sealedIdentity)::open;
            });
        }
        if (verifyKey != null) {
            checks = checks.withSignatureVerifier((manifest, sig) -> ManifestSigner.verify(signedManifest(manifest), sig, verifyKey));
        }
        return run(archive, checks, limits, keys.canDecrypt());
    }

    /**
     * Validates an archive this process just wrote (rekey's read-back): Secrets opened by {@code decryptor} (a key that
     * lives only in this process), the signature checked with {@code verifyKey} when present.
     */
    public static LoadedArchive validateWritten(ArchiveLocation archive, ArchiveChecks.SecretDecryptor decryptor, Optional<PublicKey> verifyKey,
            ArchiveLimits limits) {
        ArchiveChecks checks = ArchiveChecks.offline(ArchiveValidation::checkLeases, ArchiveValidation::dangling).withDecryptor(decryptor);
        if (verifyKey.isPresent()) {
            checks = checks.withSignatureVerifier((manifest, sig) -> ManifestSigner.verify(signedManifest(manifest), sig, verifyKey.get()));
        }
        return run(archive, checks, limits, true);
    }

    private static LoadedArchive run(ArchiveLocation archive, ArchiveChecks checks, ArchiveLimits limits, boolean decrypts) {
        HeldBudget held = new HeldBudget(limits.maxTotalBytes(), HeldBudget.HELD_HEAP_SHARE, "what the archive needs held in memory");
        ArchiveValidator.Result result = ArchiveValidator.validate(sink -> archive.scan(limits, held, sink), checks, limits, held);
        return new LoadedArchive(result.report().manifest().orElseThrow(), result.objects(), result.otherEntries(), result.signed(),
                result.report(), decrypts, result.heldBytes(), result.summary());
    }

    /** Validates and fails with exit 3 listing every problem when the archive is not valid. */
    public static LoadedArchive load(Path archive, ArchiveKeys keys, ArchiveLimits limits, Consumer<String> warnings) {
        return load(new LocalArchive(archive), keys, limits, warnings);
    }

    public static LoadedArchive load(ArchiveLocation archive, ArchiveKeys keys, ArchiveLimits limits, Consumer<String> warnings) {
        LoadedArchive loaded = validate(archive, keys, limits, warnings);
        if (!loaded.report().valid()) {
            throw new PivotctlException(Outcome.INVALID, "archive " + archive + " is invalid: " + loaded.report().errors().size()
                    + " problem(s); nothing was changed", loaded.report().errors());
        }
        loaded.report().warnings().forEach(warnings);
        return loaded;
    }

    /**
     * scrypt is the one costly step an archive can ask for: it runs only on an identity entry that matches the
     * manifest, and, when a verify key was given, only after the manifest's signature verified.
     */
    static void checkBeforeScrypt(ArchiveContents contents, Manifest manifest, byte[] sealedIdentity, PublicKey verifyKey) {
        byte[] bytes = contents.manifestBytes();
        ArchiveChecks.SignedBytes signed = new ArchiveChecks.SignedBytes(new Summary.ManifestDigest(bytes.length, Digests.sha256(bytes)),
                () -> new java.io.ByteArrayInputStream(bytes));
        checkBeforeScrypt(manifest, signed, contents.signature(), sealedIdentity, verifyKey);
    }

    static void checkBeforeScrypt(Manifest manifest, ArchiveChecks.SignedBytes manifestBytes, Optional<byte[]> signature, byte[] sealedIdentity,
            PublicKey verifyKey) {
        Manifest.Entry listed = manifest.entries().stream().filter(e -> EntryPaths.ARCHIVE_IDENTITY.equals(e.path())).findFirst()
                .orElseThrow(() -> PivotctlException.invalid(EntryPaths.ARCHIVE_IDENTITY + " is not listed in the manifest: the archive was changed;"
                        + " the passphrase was not tried"));
        if (sealedIdentity.length != listed.size() || !Digests.sha256(sealedIdentity).equals(listed.sha256())) {
            throw PivotctlException.invalid("entry '" + EntryPaths.ARCHIVE_IDENTITY + "' is corrupt: size/sha256 differ from the manifest;"
                    + " the passphrase was not tried");
        }
        if (verifyKey != null) {
            if (signature.isEmpty()) {
                throw PivotctlException.invalid("archive is not signed (no manifest.json.sig) but a verify key was given; the passphrase was not tried");
            }
            try {
                ManifestSigner.verify(signedManifest(manifestBytes), signature.get(), verifyKey);
            } catch (PivotctlException e) {
                throw PivotctlException.invalid(e.getMessage() + "; the passphrase was not tried");
            }
        }
    }

    /** The manifest as a signature check reads it: its digest, and its bytes streamed again (a 1.0 signature covers them). */
    private static ManifestSigner.SignedManifest signedManifest(ArchiveChecks.SignedBytes bytes) {
        return new ManifestSigner.SignedManifest() {
            @Override
            public String sha256() {
                return bytes.digest().sha256();
            }

            @Override
            public java.io.InputStream open() {
                return bytes.source().open();
            }
        };
    }

    private static ArchiveChecks.LeaseSummary checkLeases(byte[] raw) {
        LeaseFile file = LeaseFile.parse(raw);
        List<String> problems = new ArrayList<>();
        file.problems().forEach(p -> problems.add(p.toString()));
        return new ArchiveChecks.LeaseSummary(file.leases().size(), problems);
    }

    private static List<String> dangling(java.util.Set<io.pivotctl.graph.ObjectId> ids, java.util.Map<String, io.pivotctl.graph.ObjectId> uids,
            Iterable<com.fasterxml.jackson.databind.JsonNode> objects) {
        return ObjectGraph.dangling(ids, uids, objects).stream()
                .map(e -> Printable.of(e.from().toString()) + " " + e.field() + " refers to " + Printable.of(e.to().toString())
                        + ", which is not in the archive").toList();
    }
}

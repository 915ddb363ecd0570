package io.pivotctl.archive;

import java.util.List;
import java.util.Optional;

/**
 * The checks of {@link ArchiveValidator} that need other concerns (keys, lease parsing, object graph),
 * passed in so the archive package stays independent of how they are done.
 */
public record ArchiveChecks(
        Optional<SecretDecryptor> decryptor,
        Optional<SignatureVerifier> signatureVerifier,
        LeaseChecker leaseChecker,
        ClosureChecker closureChecker,
        Optional<DecryptorFactory> decryptorFactory) {

    public ArchiveChecks(Optional<SecretDecryptor> decryptor, Optional<SignatureVerifier> signatureVerifier, LeaseChecker leaseChecker,
            ClosureChecker closureChecker) {
        this(decryptor, signatureVerifier, leaseChecker, closureChecker, Optional.empty());
    }

    /** Whether Secrets will be decrypted (a decryptor, or one made once the keys' entries are read). */
    public boolean decrypts() {
        return decryptor.isPresent() || decryptorFactory.isPresent();
    }

    /**
     * Makes the decryptor from what the streamed read has seen before the first Secret (the manifest, its signature,
     * the archive identity entry in passphrase mode): keys that depend on the archive are only tried once it is known
     * to be the one the manifest describes. Throws PivotctlException (fatal) when the keys cannot be used.
     */
    @FunctionalInterface
    public interface DecryptorFactory {
        SecretDecryptor create(Manifest manifest, SignedBytes manifestBytes, Optional<byte[]> signature, Optional<byte[]> archiveIdentity);
    }

    /** The manifest's bytes as a signature covers them: their SHA-256, computed as they streamed past, and a way to read them again. */
    public record SignedBytes(Summary.ManifestDigest digest, ManifestCodec.Source source) {
    }

    public ArchiveChecks withDecryptorFactory(DecryptorFactory f) {
        return new ArchiveChecks(decryptor, signatureVerifier, leaseChecker, closureChecker, Optional.of(f));
    }

    /** Opens one encrypted entry; throws PivotctlException with a one-line message when it cannot. */
    @FunctionalInterface
    public interface SecretDecryptor {
        byte[] open(String path, byte[] ciphertext);
    }

    /**
     * Checks {@code manifest.json.sig} against the manifest and returns the signature's scheme; throws a one-line
     * PivotctlException (exit 3) when it does not verify: nothing read after the manifest is acted on then.
     */
    @FunctionalInterface
    public interface SignatureVerifier {
        String verify(SignedBytes manifest, byte[] signatureFileBytes);
    }

    /** Problems of a lease file (malformed lines, duplicates) and its lease count. */
    @FunctionalInterface
    public interface LeaseChecker {
        LeaseSummary check(byte[] leaseFile);
    }

    public record LeaseSummary(int count, List<String> problems) {
        public LeaseSummary {
            problems = List.copyOf(problems);
        }
    }

    /** Warnings for references (ownerReferences, known name references) that do not resolve inside the archive. */
    @FunctionalInterface
    public interface ClosureChecker {
        /**
         * {@code ids} and {@code uids} (uid to id) name every object up front; {@code objects} parses them one at a time
         * as it is walked, so nothing needs the whole fleet parsed at once.
         */
        List<String> danglingReferences(java.util.Set<io.pivotctl.graph.ObjectId> ids, java.util.Map<String, io.pivotctl.graph.ObjectId> uids,
                Iterable<com.fasterxml.jackson.databind.JsonNode> objects);
    }

    public static ArchiveChecks offline(LeaseChecker leases, ClosureChecker closure) {
        return new ArchiveChecks(Optional.empty(), Optional.empty(), leases, closure);
    }

    public ArchiveChecks withDecryptor(SecretDecryptor d) {
        return new ArchiveChecks(Optional.of(d), signatureVerifier, leaseChecker, closureChecker, decryptorFactory);
    }

    public ArchiveChecks withSignatureVerifier(SignatureVerifier v) {
        return new ArchiveChecks(decryptor, Optional.of(v), leaseChecker, closureChecker, decryptorFactory);
    }
}

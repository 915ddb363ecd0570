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
        ClosureChecker closureChecker) {

    /** Opens one encrypted entry; throws PivotctlException with a one-line message when it cannot. */
    @FunctionalInterface
    public interface SecretDecryptor {
        byte[] open(String path, byte[] ciphertext);
    }

    @FunctionalInterface
    public interface SignatureVerifier {
        boolean verify(byte[] manifestBytes, byte[] signatureFileBytes);
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
        List<String> danglingReferences(List<com.fasterxml.jackson.databind.JsonNode> objects);
    }

    public static ArchiveChecks offline(LeaseChecker leases, ClosureChecker closure) {
        return new ArchiveChecks(Optional.empty(), Optional.empty(), leases, closure);
    }

    public ArchiveChecks withDecryptor(SecretDecryptor d) {
        return new ArchiveChecks(Optional.of(d), signatureVerifier, leaseChecker, closureChecker);
    }

    public ArchiveChecks withSignatureVerifier(SignatureVerifier v) {
        return new ArchiveChecks(decryptor, Optional.of(v), leaseChecker, closureChecker);
    }
}

package io.pivotctl.export;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchiveWriter;
import io.pivotctl.archive.Manifest;
import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.ManifestSigner;
import io.pivotctl.crypto.PassphraseSealer;
import io.pivotctl.crypto.SecretOpener;
import io.pivotctl.crypto.SecretSealer;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The export's keys, prepared before anything is read so a bad key fails fast: the recipients every
 * Secret is encrypted to, the passphrase-protected archive identity (one scrypt per archive), the
 * signing key.
 */
record ExportKeys(UnaryOperator<byte[]> encryptor, Manifest.Encryption encryptionInfo, Optional<byte[]> archiveIdentity,
        Optional<ArchiveWriter.Signer> signer, SecretOpener selfCheckOpener) {

    static final String ARCHIVE_IDENTITY_LABEL = "archive-identity";

    static ExportKeys prepare(ExportRequest req) {
        if (req.recipients().isEmpty() && req.passphrase() == null) {
            throw PivotctlException.usage("no recipient and no passphrase: Secrets are never written in clear. Make a key with "
                    + "'pivotctl keygen key.txt' and pass --recipient <the printed age1... key>, or use --passphrase-file");
        }
        List<Manifest.Recipient> recipients = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (String r : req.recipients()) {
            keys.add(r);
            recipients.add(new Manifest.Recipient(r, "recipient-" + recipients.size()));
        }
        Optional<byte[]> sealedIdentity = Optional.empty();
        if (req.passphrase() != null) {
            AgeIdentity identity = AgeIdentity.generate();
            keys.add(identity.recipient());
            recipients.add(new Manifest.Recipient(identity.recipient(), ARCHIVE_IDENTITY_LABEL));
            byte[] identityFile = identity.toIdentityFile(Instant.now()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            sealedIdentity = Optional.of(PassphraseSealer.seal(identityFile, req.passphrase(), req.scryptWorkFactor()));
            java.util.Arrays.fill(identityFile, (byte) 0);
        }
        // the self-check identity lives only in this process: it proves each Secret decrypts to what the server sent
        AgeIdentity selfCheck = AgeIdentity.generate();
        keys.add(selfCheck.recipient());
        SecretSealer sealer = new SecretSealer(keys);
        Optional<ArchiveWriter.Signer> signer = req.signKey().map(path -> signer(ManifestSigner.readPrivate(path)));
        return new ExportKeys(sealer::seal, new Manifest.Encryption(Manifest.Encryption.AGE_V1, recipients, req.passphrase() != null),
                sealedIdentity, signer, SecretOpener.fromIdentities(List.of(selfCheck)));
    }

    /** Signs the manifest's SHA-256, as the archive writer computed it while writing the manifest (format 1.1). */
    private static ArchiveWriter.Signer signer(PrivateKey key) {
        return new ArchiveWriter.Signer() {
            @Override
            public String scheme() {
                return ManifestSigner.SHA256_SCHEME;
            }

            @Override
            public byte[] signatureFile(byte[] manifestSha256) {
                return ManifestSigner.signatureFile(manifestSha256, key);
            }
        };
    }

    @Override
    public String toString() {
        return "ExportKeys[" + encryptionInfo.recipients().size() + " recipients]";
    }
}

package io.pivotctl.export;

import io.pivotctl.archive.ArchiveWriter;
import io.pivotctl.archive.Manifest;
import io.pivotctl.crypto.ManifestSigner;
import io.pivotctl.crypto.SecretOpener;
import io.pivotctl.crypto.SealingKeys;
import java.security.PrivateKey;
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

    static final String ARCHIVE_IDENTITY_LABEL = SealingKeys.ARCHIVE_IDENTITY_LABEL;

    static ExportKeys prepare(ExportRequest req) {
        SealingKeys keys = SealingKeys.prepare(req.recipients(), req.passphrase(), req.scryptWorkFactor());
        List<Manifest.Recipient> recipients = keys.recipients().stream().map(r -> new Manifest.Recipient(r.publicKey(), r.label())).toList();
        Optional<ArchiveWriter.Signer> signer = req.signKey().map(path -> signer(ManifestSigner.readPrivate(path)));
        return new ExportKeys(keys.sealer()::seal, new Manifest.Encryption(Manifest.Encryption.AGE_V1, recipients, keys.passphrase()),
                keys.sealedArchiveIdentity(), signer, keys.selfCheck());
    }

    /** Signs the manifest's SHA-256, as the archive writer computed it while writing the manifest (format 1.1). */
    static ArchiveWriter.Signer signer(PrivateKey key) {
        return ArchiveWriter.Signer.of(ManifestSigner.SHA256_SCHEME, sha256 -> ManifestSigner.signatureFile(sha256, key));
    }

    @Override
    public String toString() {
        return "ExportKeys[" + encryptionInfo.recipients().size() + " recipients]";
    }
}

package io.pivotctl.testing;

import io.pivotctl.archive.ArchiveWriter;
import io.pivotctl.crypto.ManifestSigner;
import java.security.PrivateKey;
import java.util.function.UnaryOperator;

/** Archive signers for tests: export's own (format 1.1), or any bytes a hostile writer might put in manifest.json.sig. */
public final class Signers {

    private Signers() {
    }

    /** Signs the manifest's SHA-256 with {@code key}, as export --sign-key does. */
    public static ArchiveWriter.Signer of(PrivateKey key) {
        return fixed(ManifestSigner.SHA256_SCHEME, sha -> ManifestSigner.signatureFile(sha, key));
    }

    /** Writes whatever {@code signatureFile} makes of the manifest's SHA-256, claiming {@code scheme} in the summary. */
    public static ArchiveWriter.Signer fixed(String scheme, UnaryOperator<byte[]> signatureFile) {
        return new ArchiveWriter.Signer() {
            @Override
            public String scheme() {
                return scheme;
            }

            @Override
            public byte[] signatureFile(byte[] manifestSha256) {
                return signatureFile.apply(manifestSha256);
            }
        };
    }
}

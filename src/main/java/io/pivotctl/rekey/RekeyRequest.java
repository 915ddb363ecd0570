package io.pivotctl.rekey;

import io.pivotctl.crypto.SealingKeys;
import io.pivotctl.storage.ArchiveLocation;
import io.pivotctl.validate.ArchiveKeys;
import java.security.PrivateKey;
import java.util.Optional;

/**
 * One archive to rekey: read from {@code source} with {@code oldKeys} (an identity or passphrase, and optionally the key
 * its signature must verify with), written to {@code target} sealed with {@code newKeys}; signed with {@code signKey},
 * or, when the source was signed and no key is given, written unsigned only if {@code dropSignature}.
 */
public record RekeyRequest(ArchiveLocation source, ArchiveLocation target, ArchiveKeys oldKeys, SealingKeys newKeys,
        Optional<PrivateKey> signKey, boolean dropSignature) {

    /** The same keys for another archive (backups rekey). */
    public RekeyRequest from(ArchiveLocation otherSource, ArchiveLocation otherTarget) {
        return new RekeyRequest(otherSource, otherTarget, oldKeys, newKeys, signKey, dropSignature);
    }

    @Override
    public String toString() {
        return "RekeyRequest[" + source + " -> " + target + "]";
    }
}

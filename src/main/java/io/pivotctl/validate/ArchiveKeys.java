package io.pivotctl.validate;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The keys a command was given for an archive: an age identity file or a passphrase (to decrypt
 * Secrets), and an Ed25519 public key to check the manifest signature. Never printed.
 */
public record ArchiveKeys(Path identity, char[] passphrase, Path verifyKey) {

    public static final ArchiveKeys NONE = new ArchiveKeys(null, null, null);

    public boolean canDecrypt() {
        return identity != null || passphrase != null;
    }

    public void wipe() {
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
        }
    }

    @Override
    public String toString() {
        return "ArchiveKeys[identity=" + identity + ", passphrase=" + (passphrase != null ? "set" : "none") + ", verifyKey=" + verifyKey + "]";
    }
}

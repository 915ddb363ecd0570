package io.pivotctl.cli;

import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.crypto.Passphrases;
import io.pivotctl.storage.ArchiveLocation;
import io.pivotctl.validate.ArchiveValidation;
import io.pivotctl.validate.LoadedArchive;
import io.pivotctl.validate.ArchiveKeys;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** How a command gets the archive's keys: an age identity file or a passphrase (file or PIVOTCTL_PASSPHRASE), and a verify key. */
final class KeyOptions {

    /** One way to decrypt: the identity, or the passphrase (either opens every Secret of a passphrase-mode archive). */
    static final class Decryption {
        @Option(names = {"-i", "--identity"}, paramLabel = "FILE", description = "age identity file (AGE-SECRET-KEY-1...) to decrypt Secrets.")
        Path identity;

        @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Passphrase of a passphrase-mode archive (or set PIVOTCTL_PASSPHRASE).")
        Path passphraseFile;
    }

    @ArgGroup(exclusive = true)
    Decryption decryption;

    @Option(names = "--verify-key", paramLabel = "FILE", description = "Ed25519 public key (PEM): refuse the archive unless its manifest signature verifies.")
    Path verifyKey;

    /** Loads and checks the whole archive with these keys, which are wiped as soon as it is read (they may hold a passphrase). */
    LoadedArchive load(ArchiveLocation archive, Console console) {
        ArchiveKeys keys = keys();
        try {
            return ArchiveValidation.load(archive, keys, ArchiveLimits.DEFAULT, console::warning);
        } finally {
            keys.wipe();
        }
    }

    ArchiveKeys keys() {
        Path identity = decryption == null ? null : decryption.identity;
        char[] passphrase = identity == null ? Passphrases.read(decryption == null ? null : decryption.passphraseFile) : null;
        return new ArchiveKeys(identity, passphrase, verifyKey);
    }
}

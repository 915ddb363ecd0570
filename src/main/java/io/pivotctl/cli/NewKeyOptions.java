package io.pivotctl.cli;

import io.pivotctl.PivotctlException;
import io.pivotctl.crypto.ManifestSigner;
import io.pivotctl.crypto.PassphraseSealer;
import io.pivotctl.crypto.Passphrases;
import io.pivotctl.crypto.Recipients;
import io.pivotctl.crypto.SealingKeys;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The keys rekey seals for (--recipient, --recipients-file, --new-passphrase-file) and how the result is signed. */
final class NewKeyOptions implements OptionCheck {

    @Option(names = "--recipient", paramLabel = "AGE1...", description = "New age recipient to encrypt Secrets to (repeatable).")
    List<String> recipients = new ArrayList<>();

    @Option(names = "--recipients-file", paramLabel = "FILE", description = "File of new age recipients, one per line.")
    Path recipientsFile;

    @Option(names = "--new-passphrase-file", paramLabel = "FILE", description = "Protect the rekeyed archive with the passphrase read from FILE.")
    Path newPassphraseFile;

    @Option(names = "--sign-key", paramLabel = "FILE", description = "Sign the rekeyed manifest with this Ed25519 private key (PEM).")
    Path signKey;

    @Option(names = "--drop-signature", description = "Write a signed archive unsigned when no --sign-key is given (else it is refused:"
            + " its signature cannot cover the new manifest).")
    boolean dropSignature;

    @Override
    public void check() {
        if (recipients.isEmpty() && recipientsFile == null && newPassphraseFile == null) {
            throw PivotctlException.usage("no new key: give --recipient age1... (repeatable), --recipients-file FILE or --new-passphrase-file FILE"
                    + " (Secrets are never written in clear)");
        }
        if (signKey != null && dropSignature) {
            throw PivotctlException.usage("--sign-key and --drop-signature exclude each other: sign the rekeyed archive, or drop its signature");
        }
    }

    /** The new passphrase (the caller wipes it), or empty. */
    Optional<char[]> newPassphrase() {
        return newPassphraseFile == null ? Optional.empty() : Optional.of(Passphrases.read(newPassphraseFile));
    }

    /** The sealing keys, prepared once (one scrypt for a new passphrase); the passphrase is wiped by the caller. */
    SealingKeys prepare(Optional<char[]> passphrase) {
        return SealingKeys.prepare(Recipients.collect(recipients, recipientsFile), passphrase.orElse(null), PassphraseSealer.DEFAULT_LOG_N);
    }

    Optional<PrivateKey> signingKey() {
        return Optional.ofNullable(signKey).map(ManifestSigner::readPrivate);
    }

    static void wipe(Optional<char[]> passphrase) {
        passphrase.ifPresent(p -> Arrays.fill(p, '\0'));
    }
}

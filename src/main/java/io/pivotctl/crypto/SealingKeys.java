package io.pivotctl.crypto;

import io.pivotctl.PivotctlException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The keys an archive's Secrets are sealed with (export, rekey): the recipients, in passphrase mode a fresh archive
 * identity sealed with the passphrase (one scrypt per archive), and a self-check identity that exists only in this
 * process, so the writer can open every Secret it wrote (formats/pivot-archive-v1.md section 4).
 */
public record SealingKeys(SecretSealer sealer, List<Labelled> recipients, Optional<byte[]> sealedArchiveIdentity, SecretOpener selfCheck) {

    /** The label of the passphrase-sealed archive identity's recipient. */
    public static final String ARCHIVE_IDENTITY_LABEL = "archive-identity";

    /** A recipient as the manifest lists it. */
    public record Labelled(String publicKey, String label) {
    }

    public SealingKeys {
        recipients = List.copyOf(recipients);
    }

    /** Refuses to seal in clear: at least one recipient or a passphrase. */
    public static SealingKeys prepare(List<String> recipients, char[] passphrase, int scryptWorkFactor) {
        if (recipients.isEmpty() && passphrase == null) {
            throw PivotctlException.usage("no recipient and no passphrase: Secrets are never written in clear. Make a key with "
                    + "'pivotctl keygen key.txt' and pass --recipient <the printed age1... key>, or use --passphrase-file");
        }
        List<Labelled> labelled = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (String r : recipients) {
            keys.add(r);
            labelled.add(new Labelled(r, "recipient-" + labelled.size()));
        }
        Optional<byte[]> sealedIdentity = Optional.empty();
        if (passphrase != null) {
            AgeIdentity identity = AgeIdentity.generate();
            keys.add(identity.recipient());
            labelled.add(new Labelled(identity.recipient(), ARCHIVE_IDENTITY_LABEL));
            byte[] identityFile = identity.toIdentityFile(Instant.now()).getBytes(StandardCharsets.UTF_8);
            sealedIdentity = Optional.of(PassphraseSealer.seal(identityFile, passphrase, scryptWorkFactor));
            Arrays.fill(identityFile, (byte) 0);
        }
        // the self-check identity lives only in this process: it proves each Secret decrypts to what was sealed
        AgeIdentity selfCheck = AgeIdentity.generate();
        keys.add(selfCheck.recipient());
        return new SealingKeys(new SecretSealer(keys), labelled, sealedIdentity, SecretOpener.fromIdentities(List.of(selfCheck)));
    }

    public boolean passphrase() {
        return sealedArchiveIdentity.isPresent();
    }

    @Override
    public String toString() {
        return "SealingKeys[" + recipients.size() + " recipients]";
    }
}

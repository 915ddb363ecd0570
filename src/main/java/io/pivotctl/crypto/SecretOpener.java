package io.pivotctl.crypto;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import io.pivotctl.PivotctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Decrypts archive Secrets with age identities, or with the passphrase that protects the archive identity. */
public final class SecretOpener {

    /** Built once: each reader derives its identity's public key, which costs as much as a decryption. */
    private final List<RecipientStanzaReader> readers;

    private SecretOpener(List<AgeIdentity> identities) {
        try {
            this.readers = readers(identities);
        } catch (GeneralSecurityException e) {
            throw PivotctlException.invalid("unusable age identity: " + reason(e));
        }
    }

    public static SecretOpener fromIdentities(List<AgeIdentity> identities) {
        return new SecretOpener(identities);
    }

    /** Opens keys/archive-identity.age with the passphrase, then uses the archive identity. */
    public static SecretOpener fromPassphrase(char[] passphrase, byte[] sealedArchiveIdentity) {
        byte[] identityFile = PassphraseSealer.open(sealedArchiveIdentity, passphrase, "the archive identity (keys/archive-identity.age)");
        try {
            return new SecretOpener(AgeIdentity.parse(new String(identityFile, StandardCharsets.UTF_8), "the archive identity"));
        } finally {
            Arrays.fill(identityFile, (byte) 0);
        }
    }

    /** The plaintext, only after the whole file authenticated; else a one-line error naming {@code what}. */
    public byte[] open(String what, byte[] ciphertext) {
        try {
            return AgeCodec.decrypt(ciphertext, readers);
        } catch (GeneralSecurityException e) {
            throw PivotctlException.invalid("cannot decrypt " + what + ": " + reason(e));
        } catch (IOException e) {
            throw PivotctlException.invalid("cannot decrypt " + what + ": the file is corrupt or truncated (" + reason(e) + ")");
        }
    }

    private static List<RecipientStanzaReader> readers(List<AgeIdentity> identities) throws GeneralSecurityException {
        List<RecipientStanzaReader> out = new ArrayList<>();
        for (AgeIdentity id : identities) {
            out.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(id.secretKey(), X25519Provider.INSTANCE));
        }
        return out;
    }

    static String reason(Exception e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (e instanceof GeneralSecurityException && (m.contains("not found") || m.contains("no") && m.contains("recipient") || m.contains("matching"))) {
            return "no identity matches its recipients (wrong --identity?)";
        }
        if (m.contains("tag") || m.contains("mac") || m.contains("auth")) {
            return "authentication failed (corrupted, or not encrypted to this identity)";
        }
        String first = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        // jagged messages name structures, never key material; still keep them short
        return first.length() > 120 ? first.substring(0, 120) : first;
    }

    @Override
    public String toString() {
        return "SecretOpener[" + readers.size() + " identities]";
    }
}

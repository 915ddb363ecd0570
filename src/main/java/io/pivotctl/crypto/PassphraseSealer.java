package io.pivotctl.crypto;

import io.pivotctl.PivotctlException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;

/** age passphrase (scrypt) encryption, interoperable with {@code age -p} / {@code age -d}. */
public final class PassphraseSealer {

    public static final int DEFAULT_LOG_N = 18;

    private PassphraseSealer() {
    }

    public static byte[] seal(byte[] plaintext, char[] passphrase, int logN) {
        if (passphrase == null || passphrase.length == 0) {
            throw PivotctlException.usage("empty passphrase");
        }
        try {
            return AgeCodec.encrypt(plaintext, List.of(ScryptStanzas.writer(passphrase, logN)));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("age passphrase encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    public static byte[] open(byte[] ciphertext, char[] passphrase, String what) {
        try {
            return AgeCodec.decrypt(ciphertext, List.of(ScryptStanzas.reader(passphrase)));
        } catch (ScryptStanzas.WrongPassphraseException e) {
            throw PivotctlException.invalid("cannot decrypt " + what + ": wrong passphrase");
        } catch (ScryptStanzas.WorkFactorException e) {
            throw PivotctlException.invalid("refusing to decrypt " + what + ": " + e.getMessage());
        } catch (ScryptStanzas.NotEnoughMemoryException e) {
            throw PivotctlException.failed("cannot decrypt " + what + ": " + e.getMessage());
        } catch (GeneralSecurityException | IOException e) {
            throw PivotctlException.invalid("cannot decrypt " + what + " with the passphrase: " + SecretOpener.reason(e));
        }
    }
}

package io.pivotctl.crypto;

import io.pivotctl.Printable;
import com.exceptionfactory.jagged.FileKey;
import com.exceptionfactory.jagged.RecipientStanza;
import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * age's scrypt (passphrase) recipient stanza, implemented on jagged's public stanza interfaces because
 * jagged-scrypt is not available for Java 17 here. Spec (age-encryption.org/v1): {@code -> scrypt <salt> <log2 N>},
 * wrap key = scrypt(passphrase, "age-encryption.org/v1/scrypt" || salt, N, r=8, p=1, 32 bytes), body =
 * ChaCha20-Poly1305(wrap key, zero nonce, file key). The stanza must be the only one in the header.
 */
final class ScryptStanzas {

    static final String TYPE = "scrypt";
    static final String LABEL = "age-encryption.org/v1/scrypt";
    static final int SALT_BYTES = 16;
    /**
     * The largest work factor read: what export writes ({@link PassphraseSealer#DEFAULT_LOG_N}, 18) plus a margin of 2,
     * well below age's own maximum of 22 (4 GiB, minutes of CPU) so a hostile archive cannot make us run that.
     */
    static final int MAX_LOG_N = PassphraseSealer.DEFAULT_LOG_N + 2;
    /** scrypt's memory is 128 * r * N bytes, with r = 8 in age. */
    private static final long BYTES_PER_N = 128L * 8;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private ScryptStanzas() {
    }

    static RecipientStanzaWriter writer(char[] passphrase, int logN) {
        byte[] pass = utf8(passphrase);
        return fileKey -> {
            byte[] salt = new byte[SALT_BYTES];
            new SecureRandom().nextBytes(salt);
            byte[] key = wrapKey(pass, salt, logN);
            try {
                byte[] body = chacha(Cipher.ENCRYPT_MODE, key, fileKey.getEncoded());
                return List.<RecipientStanza>of(new Stanza(TYPE, List.of(B64.encodeToString(salt), Integer.toString(logN)), body));
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        };
    }

    static RecipientStanzaReader reader(char[] passphrase) {
        byte[] pass = utf8(passphrase);
        return stanzas -> {
            List<RecipientStanza> all = new ArrayList<>();
            stanzas.forEach(all::add);
            RecipientStanza scrypt = all.stream().filter(s -> TYPE.equals(s.getType())).findFirst()
                    .orElseThrow(() -> new GeneralSecurityException("not a passphrase-encrypted file"));
            if (all.size() != 1) {
                throw new GeneralSecurityException("an scrypt stanza must be the only recipient");
            }
            List<String> args = scrypt.getArguments();
            if (args.size() != 2) {
                throw new GeneralSecurityException("malformed scrypt stanza");
            }
            byte[] salt;
            int logN;
            try {
                salt = B64D.decode(args.get(0));
                logN = Integer.parseInt(args.get(1));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException("malformed scrypt stanza");
            }
            if (salt.length != SALT_BYTES || logN < 1 || logN > MAX_LOG_N || !args.get(1).equals(Integer.toString(logN))) {
                throw new WorkFactorException("scrypt work factor " + Printable.of(args.get(1)) + " is over pivotctl's limit of " + MAX_LOG_N
                        + " (export writes " + PassphraseSealer.DEFAULT_LOG_N + ")");
            }
            requireMemoryFor(logN);
            byte[] key = wrapKey(pass, salt, logN);
            try {
                return new FileKey(chacha(Cipher.DECRYPT_MODE, key, scrypt.getBody()));
            } catch (GeneralSecurityException e) {
                throw new WrongPassphraseException();
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        };
    }

    /** Refuses, in one line, a work factor this JVM's heap cannot hold, instead of running out of memory halfway. */
    static void requireMemoryFor(int logN) throws NotEnoughMemoryException {
        long needed = BYTES_PER_N << logN;
        long available = freeHeap();
        if (needed + (needed >> 3) > available) {
            System.gc(); // what looks used may be garbage: ask once before refusing
            available = freeHeap();
        }
        if (needed + (needed >> 3) > available) {
            throw new NotEnoughMemoryException("scrypt work factor " + logN + " needs " + (needed >> 20) + " MiB of memory, this JVM has "
                    + (available >> 20) + " MiB free: run with a larger heap (PIVOTCTL_JAVA_OPTS=-Xmx" + Math.max(1, (needed * 2 >> 30) + 1) + "g)");
        }
    }

    private static long freeHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }


    private static byte[] wrapKey(byte[] pass, byte[] salt, int logN) {
        byte[] label = LABEL.getBytes(StandardCharsets.US_ASCII);
        byte[] fullSalt = new byte[label.length + salt.length];
        System.arraycopy(label, 0, fullSalt, 0, label.length);
        System.arraycopy(salt, 0, fullSalt, label.length, salt.length);
        return SCrypt.generate(pass, fullSalt, 1 << logN, 8, 1, 32);
    }

    private static byte[] chacha(int mode, byte[] key, byte[] input) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(new byte[12]));
        return c.doFinal(input);
    }

    private static byte[] utf8(char[] passphrase) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        Arrays.fill(b.array(), (byte) 0);
        return out;
    }

    /** The stanza asks for a work factor over the limit: the archive is refused before any scrypt work. */
    static final class WorkFactorException extends GeneralSecurityException {
        private static final long serialVersionUID = 1L;

        WorkFactorException(String message) {
            super(message);
        }
    }

    /** The work factor is allowed but this JVM cannot hold scrypt's memory. */
    static final class NotEnoughMemoryException extends GeneralSecurityException {
        private static final long serialVersionUID = 1L;

        NotEnoughMemoryException(String message) {
            super(message);
        }
    }

    /** The passphrase did not open the stanza's file key. */
    static final class WrongPassphraseException extends GeneralSecurityException {
        private static final long serialVersionUID = 1L;

        WrongPassphraseException() {
            super("wrong passphrase");
        }
    }
}

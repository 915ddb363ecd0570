package io.pivotctl.crypto;

import com.exceptionfactory.jagged.x25519.X25519KeyFactory;
import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.pivotctl.PivotctlException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;

/**
 * An age X25519 identity (AGE-SECRET-KEY-1...) and its recipient (age1...). The secret key is only
 * exposed for writing identity files; {@link #toString()} shows the recipient.
 */
public final class AgeIdentity {

    static final String SECRET_PREFIX = "AGE-SECRET-KEY-1";

    private final String secretKey;
    private final String recipient;

    private AgeIdentity(String secretKey, String recipient) {
        this.secretKey = secretKey;
        this.recipient = recipient;
    }

    public static AgeIdentity generate() {
        try {
            KeyPair kp = new X25519KeyPairGenerator().generateKeyPair();
            return new AgeIdentity(kp.getPrivate().toString(), kp.getPublic().toString());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 key generation is not available", e);
        }
    }

    /** An identity from its AGE-SECRET-KEY-1 string (the recipient is derived from it). */
    public static AgeIdentity fromSecretKey(String secretKey) {
        try {
            Key pub = new X25519KeyFactory().translateKey(new SecretKeySpec(secretKey.getBytes(StandardCharsets.US_ASCII), "X25519"));
            return new AgeIdentity(secretKey, pub.toString());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw PivotctlException.invalid("malformed age identity (expected AGE-SECRET-KEY-1...)");
        }
    }

    /** Every identity in an age identity file: '#' comments, blank lines, one AGE-SECRET-KEY-1 per line. */
    public static List<AgeIdentity> parse(String identityFileText, String source) {
        List<AgeIdentity> out = new ArrayList<>();
        String[] lines = identityFileText.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!line.startsWith(SECRET_PREFIX)) {
                throw PivotctlException.invalid(source + " line " + (i + 1) + ": not an age identity (expected AGE-SECRET-KEY-1...)");
            }
            try {
                out.add(fromSecretKey(line));
            } catch (PivotctlException e) {
                throw PivotctlException.invalid(source + " line " + (i + 1) + ": malformed age identity");
            }
        }
        if (out.isEmpty()) {
            throw PivotctlException.invalid(source + " holds no age identity (AGE-SECRET-KEY-1...)");
        }
        return out;
    }

    public String recipient() {
        return recipient;
    }

    /** The AGE-SECRET-KEY-1 string: only for writing an identity file or decrypting. */
    public String secretKey() {
        return secretKey;
    }

    /** The identity file text, laid out like age-keygen's. */
    public String toIdentityFile(Instant created) {
        return "# created: " + created.truncatedTo(ChronoUnit.SECONDS) + "\n# public key: " + recipient + "\n" + secretKey + "\n";
    }

    @Override
    public String toString() {
        return "AgeIdentity[" + recipient + "]";
    }
}

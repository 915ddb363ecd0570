package io.pivotctl.crypto;

import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/** Encrypts to a fixed list of age X25519 recipients (age v1 binary format). Thread-safe. */
public final class SecretSealer {

    private final List<String> recipients;

    public SecretSealer(List<String> recipients) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("at least one recipient is needed");
        }
        this.recipients = List.copyOf(recipients);
        writers(); // fail now on a bad recipient
    }

    public byte[] seal(byte[] plaintext) {
        try {
            return AgeCodec.encrypt(plaintext, writers());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("age encryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private List<RecipientStanzaWriter> writers() {
        List<RecipientStanzaWriter> out = new ArrayList<>();
        for (String r : recipients) {
            try {
                out.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(r, X25519Provider.INSTANCE));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("not an age recipient: " + r, e);
            }
        }
        return out;
    }
}

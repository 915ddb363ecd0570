package io.pivotctl.crypto;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.GeneralSecurityException;
import java.util.List;

/** age v1 in memory: whole-buffer encrypt, and decrypt that returns only fully authenticated plaintext. */
final class AgeCodec {

    private AgeCodec() {
    }

    static byte[] encrypt(byte[] plaintext, List<RecipientStanzaWriter> writers) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plaintext.length + 256);
        try (WritableByteChannel ch = new StandardEncryptingChannelFactory().newEncryptingChannel(Channels.newChannel(out), writers)) {
            ByteBuffer buf = ByteBuffer.wrap(plaintext);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
        return out.toByteArray();
    }

    /**
     * age streams authenticate chunk by chunk, so a later chunk can fail after earlier plaintext was
     * read: the plaintext is returned only when the whole stream authenticated, and wiped otherwise.
     */
    static byte[] decrypt(byte[] ciphertext, List<RecipientStanzaReader> readers) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, ciphertext.length));
        boolean ok = false;
        try (ReadableByteChannel ch = new StandardDecryptingChannelFactory().newDecryptingChannel(
                Channels.newChannel(new ByteArrayInputStream(ciphertext)), readers)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buf) >= 0) {
                buf.flip();
                out.write(buf.array(), 0, buf.limit());
                buf.clear();
            }
            ok = true;
        } finally {
            if (!ok) {
                wipe(out);
            }
        }
        return out.toByteArray();
    }

    private static void wipe(ByteArrayOutputStream out) {
        byte[] zeros = new byte[out.size()];
        out.reset();
        out.writeBytes(zeros);
        out.reset();
    }
}

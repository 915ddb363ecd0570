package io.pivotctl.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streamed Ed25519 verifier of format 1.0 signatures: RFC 8032's test vectors, and the same verdict as the JDK's
 * Ed25519 on random messages fed in random pieces, on every kind of tampering, and on a non-canonical S.
 */
class StreamedEd25519Test {

    private static final HexFormat HEX = HexFormat.of();
    private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

    private static boolean streamed(byte[] pk, byte[] sig, byte[] message, Random pieces) {
        StreamedEd25519 v = StreamedEd25519.of(pk, sig);
        int off = 0;
        while (off < message.length) {
            int n = 1 + pieces.nextInt(Math.max(1, message.length - off));
            v.update(message, off, Math.min(n, message.length - off));
            off += n;
        }
        return v.verify();
    }

    private static boolean jdk(PublicKey key, byte[] sig, byte[] message) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(key);
        s.update(message);
        try {
            return s.verify(sig);
        } catch (java.security.SignatureException e) {
            return false;
        }
    }

    private static byte[] raw(PublicKey key) {
        byte[] enc = key.getEncoded();
        return Arrays.copyOfRange(enc, enc.length - 32, enc.length);
    }

    @Test
    void rfc8032TestVectorsVerifyAndAFlippedBitDoesNot() {
        String[][] vectors = {
            {"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
            {"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
            {"fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
                "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
        };
        Random rnd = new Random(1);
        for (String[] v : vectors) {
            byte[] pk = HEX.parseHex(v[0]);
            byte[] msg = HEX.parseHex(v[1]);
            byte[] sig = HEX.parseHex(v[2]);
            assertTrue(streamed(pk, sig, msg, rnd), v[0]);
            byte[] other = Arrays.copyOf(msg, msg.length + 1);
            assertFalse(streamed(pk, sig, other, rnd), "a message one byte longer");
            sig[5] ^= 1;
            assertFalse(streamed(pk, sig, msg, rnd), "a flipped bit in R");
        }
    }

    @Test
    void agreesWithTheJdkOnRandomMessagesAndEveryTampering() throws Exception {
        Random rnd = new Random(20261204);
        int iterations = Integer.getInteger("pivotctl.fuzz.iterations", 300) / 3;
        for (int i = 0; i < iterations; i++) {
            KeyPair kp = ManifestSigner.generate();
            KeyPair other = ManifestSigner.generate();
            byte[] msg = new byte[rnd.nextInt(3000)];
            rnd.nextBytes(msg);
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(kp.getPrivate());
            s.update(msg);
            byte[] sig = s.sign();
            assertTrue(streamed(raw(kp.getPublic()), sig, msg, rnd), "#" + i + " good signature");

            byte[] tampered = sig.clone();
            tampered[rnd.nextInt(64)] ^= (byte) (1 << rnd.nextInt(8));
            assertEquals(jdk(kp.getPublic(), tampered, msg), streamed(raw(kp.getPublic()), tampered, msg, rnd), "#" + i + " tampered signature");
            if (msg.length > 0) {
                byte[] changed = msg.clone();
                changed[rnd.nextInt(msg.length)] ^= 1;
                assertFalse(streamed(raw(kp.getPublic()), sig, changed, rnd), "#" + i + " changed message");
            }
            assertFalse(streamed(raw(other.getPublic()), sig, msg, rnd), "#" + i + " another key");
        }
    }

    @Test
    void aNonCanonicalSIsRefusedLikeTheJdkRefusesIt() throws Exception {
        KeyPair kp = ManifestSigner.generate();
        byte[] msg = "pivotctl".getBytes();
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(kp.getPrivate());
        s.update(msg);
        byte[] sig = s.sign();
        byte[] le = Arrays.copyOfRange(sig, 32, 64);
        byte[] be = new byte[33];
        for (int i = 0; i < 32; i++) {
            be[32 - i] = le[i];
        }
        BigInteger plusL = new BigInteger(be).add(L);
        byte[] out = plusL.toByteArray();
        byte[] malleable = sig.clone();
        for (int i = 0; i < 32; i++) {
            malleable[32 + i] = i < out.length ? out[out.length - 1 - i] : 0;
        }
        assertFalse(jdk(kp.getPublic(), malleable, msg));
        assertFalse(streamed(raw(kp.getPublic()), malleable, msg, new Random(2)), "S + L is the same point but not a valid encoding");
    }
}

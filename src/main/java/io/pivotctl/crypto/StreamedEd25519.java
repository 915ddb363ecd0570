package io.pivotctl.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Ed25519 verification (RFC 8032 section 5.1.7) of a message fed in pieces, for format 1.0 signatures: they cover the
 * manifest's exact bytes (110 MB for 5,000 hosts), which the JDK's and Bouncy Castle's Ed25519 take in one array.
 * Verifying needs the message once, inside SHA-512(R || A || M), so it can stream; signing needs it twice, which is
 * why format 1.1 signs the manifest's SHA-256 instead. Only public values are computed here (no secret, no timing
 * concern); the result is the cofactorless check {@code [S]B - [k]A == R}, compared by encoding, as Bouncy Castle does.
 * Tested against RFC 8032's vectors and against the JDK on random and tampered signatures.
 */
final class StreamedEd25519 {

    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger D = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    private static final BigInteger D2 = D.shiftLeft(1).mod(P);
    private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final BigInteger SQRT_M1 = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
    private static final Point BASE = Point.decode(hex("5866666666666666666666666666666666666666666666666666666666666666"));

    private final MessageDigest sha512;
    private final byte[] signature;
    private final byte[] publicKey;

    private StreamedEd25519(byte[] publicKey, byte[] signature) {
        this.publicKey = publicKey.clone();
        this.signature = signature.clone();
        try {
            this.sha512 = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-512", e);
        }
        sha512.update(signature, 0, 32);
        sha512.update(publicKey);
    }

    /** A verifier of {@code signature} (64 bytes: R, S) by the raw 32-byte {@code publicKey}; feed the message with {@link #update}. */
    static StreamedEd25519 of(byte[] publicKey, byte[] signature) {
        if (publicKey.length != 32 || signature.length != 64) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes and a signature 64");
        }
        return new StreamedEd25519(publicKey, signature);
    }

    void update(byte[] message, int offset, int length) {
        sha512.update(message, offset, length);
    }

    /** Whether the message fed so far is signed: decodes A and R, refuses S >= L, then checks the group equation. */
    boolean verify() {
        BigInteger s = littleEndian(Arrays.copyOfRange(signature, 32, 64));
        Point a = Point.decode(publicKey);
        Point r = Point.decode(Arrays.copyOf(signature, 32));
        if (s.compareTo(L) >= 0 || a == null || r == null) {
            return false;
        }
        BigInteger k = littleEndian(sha512.digest()).mod(L);
        Point check = BASE.times(s).plus(a.negate().times(k));
        return Arrays.equals(check.encode(), Arrays.copyOf(signature, 32));
    }

    /** A point in extended coordinates: x = X/Z, y = Y/Z, x*y = T/Z (RFC 8032 section 5.1.4). */
    private record Point(BigInteger x, BigInteger y, BigInteger z, BigInteger t) {

        static final Point ZERO = new Point(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO);

        /** RFC 8032 section 5.1.3; null when the 32 bytes encode no point (y >= p, no square root, or -0). */
        static Point decode(byte[] encoded) {
            byte[] bytes = encoded.clone();
            int sign = (bytes[31] >> 7) & 1;
            bytes[31] &= 0x7f;
            BigInteger y = littleEndian(bytes);
            if (y.compareTo(P) >= 0) {
                return null;
            }
            BigInteger y2 = y.multiply(y).mod(P);
            BigInteger u = y2.subtract(BigInteger.ONE).mod(P);
            BigInteger v = D.multiply(y2).add(BigInteger.ONE).mod(P);
            BigInteger v3 = v.modPow(BigInteger.valueOf(3), P);
            BigInteger x = u.multiply(v3).multiply(u.multiply(v3).multiply(v3).multiply(v).mod(P)
                    .modPow(P.subtract(BigInteger.valueOf(5)).shiftRight(3), P)).mod(P);
            BigInteger vx2 = v.multiply(x).multiply(x).mod(P);
            if (!vx2.equals(u)) {
                if (!vx2.equals(u.negate().mod(P))) {
                    return null;
                }
                x = x.multiply(SQRT_M1).mod(P);
            }
            if (x.signum() == 0 && sign == 1) {
                return null;
            }
            if (x.testBit(0) != (sign == 1)) {
                x = P.subtract(x);
            }
            return new Point(x, y, BigInteger.ONE, x.multiply(y).mod(P));
        }

        Point plus(Point q) {
            BigInteger a = y.subtract(x).multiply(q.y.subtract(q.x)).mod(P);
            BigInteger b = y.add(x).multiply(q.y.add(q.x)).mod(P);
            BigInteger c = t.multiply(D2).multiply(q.t).mod(P);
            BigInteger d = z.shiftLeft(1).multiply(q.z).mod(P);
            BigInteger e = b.subtract(a);
            BigInteger f = d.subtract(c);
            BigInteger g = d.add(c);
            BigInteger h = b.add(a);
            return new Point(e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P), e.multiply(h).mod(P));
        }

        Point negate() {
            return new Point(x.negate().mod(P), y, z, t.negate().mod(P));
        }

        /** Double and add, most significant bit first. */
        Point times(BigInteger scalar) {
            Point out = ZERO;
            for (int i = scalar.bitLength() - 1; i >= 0; i--) {
                out = out.plus(out);
                if (scalar.testBit(i)) {
                    out = out.plus(this);
                }
            }
            return out;
        }

        byte[] encode() {
            BigInteger zInv = z.modInverse(P);
            BigInteger ax = x.multiply(zInv).mod(P);
            BigInteger ay = y.multiply(zInv).mod(P);
            byte[] out = new byte[32];
            byte[] be = ay.toByteArray();
            for (int i = 0; i < be.length && i < 32; i++) {
                out[i] = be[be.length - 1 - i];
            }
            if (ax.testBit(0)) {
                out[31] |= (byte) 0x80;
            }
            return out;
        }
    }

    private static BigInteger littleEndian(byte[] bytes) {
        byte[] be = new byte[bytes.length + 1];
        for (int i = 0; i < bytes.length; i++) {
            be[bytes.length - i] = bytes[i];
        }
        return new BigInteger(be);
    }

    private static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }
}

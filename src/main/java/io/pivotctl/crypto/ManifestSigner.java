package io.pivotctl.crypto;

import io.pivotctl.PivotctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 manifest signatures (JDK built-in). Keys are PEM: private PKCS#8 ("BEGIN PRIVATE KEY", as
 * {@code openssl genpkey -algorithm ed25519} writes), public X.509 ("BEGIN PUBLIC KEY"). The signature file
 * {@code manifest.json.sig} has two forms (formats/pivot-archive-v1.md section 4.1):
 * <ul>
 * <li>format 1.1, scheme {@value #SHA256_SCHEME}: a line {@code pivotctl-signature ed25519-sha256}, then the base64
 * Ed25519 signature of the ASCII message {@code pivotctl-manifest-sha256:<hex SHA-256 of manifest.json>}. The writer
 * signs the digest it computed as the manifest streamed to the archive; nothing holds the manifest;
 * <li>format 1.0, scheme {@value #BYTES_SCHEME}: the base64 signature of the manifest's exact bytes, one line. Verified
 * as the bytes stream past ({@link StreamedEd25519}), never held; pivotctl no longer writes it.
 * </ul>
 */
public final class ManifestSigner {

    /** Format 1.1: Ed25519 over the manifest's SHA-256. */
    public static final String SHA256_SCHEME = "ed25519-sha256";
    /** Format 1.0: Ed25519 over the manifest's bytes. */
    public static final String BYTES_SCHEME = "ed25519";
    static final String HEADER = "pivotctl-signature ";
    static final String MESSAGE_PREFIX = "pivotctl-manifest-sha256:";
    /** The X.509 SubjectPublicKeyInfo of an Ed25519 key, before its 32 raw bytes. */
    private static final byte[] X509_PREFIX = java.util.HexFormat.of().parseHex("302a300506032b6570032100");

    private ManifestSigner() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JDK", e);
        }
    }

    public static String privatePem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static PrivateKey readPrivate(Path file) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(file, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw PivotctlException.usage(file + " is not an Ed25519 private key (PKCS#8 PEM)");
        }
    }

    public static PublicKey readPublic(Path file) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(file, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw PivotctlException.usage(file + " is not an Ed25519 public key (PEM)");
        }
    }

    /** The public key of {@code key}: what a signature made with it is checked with (rekey reads its own archive back). */
    public static PublicKey publicOf(PrivateKey key) {
        try {
            byte[] seed = org.bouncycastle.asn1.ASN1OctetString.getInstance(
                    org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey()).getOctets();
            byte[] raw = new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
            java.util.Arrays.fill(seed, (byte) 0);
            byte[] x509 = java.util.Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + raw.length);
            System.arraycopy(raw, 0, x509, X509_PREFIX.length, raw.length);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw PivotctlException.usage("the signing key is not an Ed25519 private key");
        }
    }

    /** The format 1.1 signature file of a manifest whose SHA-256 is {@code manifestSha256} (32 bytes). */
    public static byte[] signatureFile(byte[] manifestSha256, PrivateKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(message(manifestSha256));
            return (HEADER + SHA256_SCHEME + "\n" + Base64.getEncoder().encodeToString(s.sign()) + "\n").getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw PivotctlException.failed("cannot sign the manifest: " + e.getClass().getSimpleName());
        }
    }

    /** A format 1.0 signature file (the manifest's bytes signed): what pivotctl 0.1 wrote; for tests of the readers. */
    public static byte[] bytesSignatureFile(byte[] manifest, PrivateKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(manifest);
            return (Base64.getEncoder().encodeToString(s.sign()) + "\n").getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw PivotctlException.failed("cannot sign the manifest: " + e.getClass().getSimpleName());
        }
    }

    /** What the manifest's bytes are, to a verifier: their SHA-256 (hex) and a way to read them again, streamed. */
    public interface SignedManifest {
        String sha256();

        java.io.InputStream open() throws java.io.IOException;
    }

    /**
     * Checks {@code signatureFile} against the manifest with {@code key} and returns its scheme; throws a one-line
     * PivotctlException (exit 3) when it does not verify or its scheme is unknown. A 1.1 signature needs only the digest;
     * a 1.0 signature is checked over the manifest's bytes as they stream past.
     */
    public static String verify(SignedManifest manifest, byte[] signatureFile, PublicKey key) {
        String text = new String(signatureFile, StandardCharsets.US_ASCII);
        if (text.startsWith(HEADER)) {
            int nl = text.indexOf('\n');
            String scheme = (nl < 0 ? text : text.substring(0, nl)).substring(HEADER.length()).strip();
            if (!SHA256_SCHEME.equals(scheme)) {
                throw PivotctlException.invalid("manifest.json.sig uses the signature scheme '" + io.pivotctl.Printable.of(scheme)
                        + "', which pivotctl " + io.pivotctl.Version.current() + " does not know: use a newer pivotctl");
            }
            byte[] sig = decode(nl < 0 ? "" : text.substring(nl + 1));
            if (sig == null || !verifyWhole(message(java.util.HexFormat.of().parseHex(manifest.sha256())), sig, key)) {
                throw notVerified(SHA256_SCHEME);
            }
            return SHA256_SCHEME;
        }
        byte[] sig = decode(text);
        if (sig == null || !verifyStreamed(manifest, sig, key)) {
            throw notVerified(BYTES_SCHEME);
        }
        return BYTES_SCHEME;
    }

    private static PivotctlException notVerified(String scheme) {
        return PivotctlException.invalid("manifest signature (" + scheme + ") does not verify with the given key: the archive was changed"
                + " or signed by another key");
    }

    /** The 64 signature bytes of a base64 line, or null when it is not one. */
    private static byte[] decode(String base64) {
        try {
            byte[] sig = Base64.getDecoder().decode(base64.strip());
            return sig.length == 64 ? sig : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] message(byte[] manifestSha256) {
        return (MESSAGE_PREFIX + java.util.HexFormat.of().formatHex(manifestSha256)).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean verifyWhole(byte[] message, byte[] sig, PublicKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean verifyStreamed(SignedManifest manifest, byte[] sig, PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded.length != X509_PREFIX.length + 32 || !java.util.Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            return false;
        }
        StreamedEd25519 v = StreamedEd25519.of(java.util.Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length), sig);
        try (java.io.InputStream in = manifest.open()) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                v.update(buf, 0, n);
            }
        } catch (java.io.IOException e) {
            throw PivotctlException.invalid("cannot read manifest.json to check its signature: " + e.getClass().getSimpleName());
        }
        return v.verify();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(Path file, String type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw PivotctlException.usage("key file " + file + " does not exist");
        } catch (IOException e) {
            throw PivotctlException.usage("cannot read key file " + file + ": " + e.getClass().getSimpleName());
        }
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw PivotctlException.usage(file + " is not a PEM " + type.toLowerCase(java.util.Locale.ROOT));
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw PivotctlException.usage(file + " has a malformed PEM body");
        }
    }
}

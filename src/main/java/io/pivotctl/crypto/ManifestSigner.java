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
 * {@code openssl genpkey -algorithm ed25519} writes), public X.509 ("BEGIN PUBLIC KEY"). The signature
 * file {@code manifest.json.sig} is the 64-byte signature of the exact manifest bytes, base64, newline.
 */
public final class ManifestSigner {

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

    public static byte[] signatureFile(byte[] manifest, PrivateKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(manifest);
            return (Base64.getEncoder().encodeToString(s.sign()) + "\n").getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw PivotctlException.failed("cannot sign the manifest: " + e.getClass().getSimpleName());
        }
    }

    public static boolean verifySignatureFile(byte[] manifest, byte[] signatureFile, PublicKey key) {
        try {
            byte[] sig = Base64.getDecoder().decode(new String(signatureFile, StandardCharsets.US_ASCII).strip());
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(manifest);
            return s.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
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

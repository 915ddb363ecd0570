package io.pivotctl.crypto;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The JCA provider for age's X25519 key agreement: Bouncy Castle's, not registered globally (TLS and the rest
 * keep the JDK's). One agreement per Secret makes X25519 the hot spot of export and import; Bouncy Castle's
 * is several times faster than the JDK 17 one, and the result is the same (RFC 7748).
 */
final class X25519Provider {

    static final Provider INSTANCE = new BouncyCastleProvider();

    private X25519Provider() {
    }
}

package io.pivotctl.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The scrypt work factor an archive may ask for is capped, and a heap too small for an allowed one is one line. */
class ScryptWorkFactorTest {

    static final byte[] PLAIN = "AGE-SECRET-KEY-1EXAMPLE\n".getBytes(StandardCharsets.US_ASCII);
    static final char[] PASS = "pw".toCharArray();

    /** Rewrites the stanza's work factor: the stanza is read (and refused) before any MAC could notice. */
    static byte[] withWorkFactor(byte[] ageFile, String logN) {
        String text = new String(ageFile, StandardCharsets.ISO_8859_1);
        String changed = text.replaceFirst("(-> scrypt \\S+) 1\n", "$1 " + logN + "\n");
        assertTrue(!changed.equals(text), "the stanza was rewritten");
        return changed.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theCapIsWhatExportWritesPlusAMarginWellBelowAgesMaximum() {
        assertEquals(PassphraseSealer.DEFAULT_LOG_N + 2, ScryptStanzas.MAX_LOG_N);
        assertTrue(ScryptStanzas.MAX_LOG_N < 22, "age's own maximum is 22");
    }

    @Test
    void workFactorsAboveTheCapAreRefusedInOneLineWithoutRunningScrypt() {
        byte[] sealed = PassphraseSealer.seal(PLAIN, PASS, 1);
        for (String logN : new String[] {"21", "22", "64"}) {
            PivotctlException e = assertThrows(PivotctlException.class, () -> PassphraseSealer.open(withWorkFactor(sealed, logN), PASS, "the archive identity"));
            assertEquals(Outcome.INVALID, e.outcome());
            assertEquals("refusing to decrypt the archive identity: scrypt work factor " + logN + " is over pivotctl's limit of 20 (export writes 18)",
                    e.getMessage());
        }
    }

    @Test
    void aWorkFactorThatIsNotANumberIsMalformed() {
        byte[] sealed = withWorkFactor(PassphraseSealer.seal(PLAIN, PASS, 1), "99999999999");
        PivotctlException e = assertThrows(PivotctlException.class, () -> PassphraseSealer.open(sealed, PASS, "the archive identity"));
        assertEquals(Outcome.INVALID, e.outcome());
        assertEquals("cannot decrypt the archive identity with the passphrase: malformed scrypt stanza", e.getMessage());
    }

    @Test
    void workFactorsUpToTheCapStillOpen() {
        byte[] sealed = PassphraseSealer.seal(PLAIN, PASS, 1);
        assertArrayEquals(PLAIN, PassphraseSealer.open(sealed, PASS, "x"));
    }

    @Test
    void aHeapTooSmallForTheWorkFactorIsOneLineNamingTheFix() {
        // 2^30 * 1 KiB = 1 TiB: no test JVM has it, so the check refuses before allocating anything
        ScryptStanzas.NotEnoughMemoryException e = assertThrows(ScryptStanzas.NotEnoughMemoryException.class, () -> ScryptStanzas.requireMemoryFor(30));
        assertTrue(e.getMessage().startsWith("scrypt work factor 30 needs 1048576 MiB of memory, this JVM has "), e.getMessage());
        assertTrue(e.getMessage().endsWith("run with a larger heap (PIVOTCTL_JAVA_OPTS=-Xmx2049g)"), e.getMessage());
    }
}

package io.pivotctl.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether Ctrl-C can reach a process this test starts. A shell without job control starts background commands
 * (`nohup mvn verify &`) with SIGINT ignored, children inherit that, and the JVM then rightly installs no handler:
 * such a pivotctl never sees the signal. Tests of Ctrl-C skip there with one line instead of failing.
 */
public final class Sigint {

    private static final int SIGINT = 2;

    private Sigint() {
    }

    public static void assumeDeliverable() {
        Assumptions.assumeFalse(ignoredHere(), "SIGINT is ignored by whatever started these tests (a background job of a shell"
                + " without job control): processes started here cannot receive Ctrl-C");
    }

    /** From the SigIgn mask of /proc/self/status (Linux); false where that cannot be read. */
    static boolean ignoredHere() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return new BigInteger(line.substring("SigIgn:".length()).trim(), 16).testBit(SIGINT - 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}

package io.pivotctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.testing.Cli;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The command line of release-source, unpause and leases patch, offline. */
class ReleaseCommandsTest {

    @Test
    void helpAndCompletionKnowTheNewCommands() {
        Cli.Result h = Cli.run("--help");
        for (String cmd : new String[] {"release-source", "unpause", "leases"}) {
            assertTrue(h.out().contains("  " + cmd + " "), cmd + " missing from --help:\n" + h.out());
        }
        String completion = Cli.run("completion", "bash").out();
        assertTrue(completion.contains("release-source") && completion.contains("unpause") && completion.contains("--detach-timeout"), "completion");
        Cli.Result r = Cli.run("release-source", "--help");
        assertTrue(r.out().contains("--detach-timeout") && r.out().contains("--verified-on") && r.out().contains("--skip-verify")
                && r.out().contains("--yes"), r.out());
    }

    @Test
    void badOptionsAreOneLineUsageErrorsThatDoNotEchoTheValue() {
        Cli.Result t = Cli.run("release-source", "a.tar.gz", "--detach-timeout", "s3cr3t-typo");
        assertEquals(2, t.exitCode(), t.toString());
        assertFalse(t.err().contains("s3cr3t-typo"), t.err());
        assertTrue(t.err().contains("duration such as 10m"), t.err());
        Cli.Result both = Cli.run("release-source", "a.tar.gz", "--verified-on", "k", "--skip-verify");
        assertEquals(2, both.exitCode(), both.toString());
        assertTrue(both.err().contains("exclude each other"), both.err());
    }

    @Test
    void durationsReadLikeKubectls() {
        DurationConverter c = new DurationConverter();
        assertEquals(Duration.ZERO, c.convert("0"));
        assertEquals(Duration.ofMinutes(10), c.convert("10m"));
        assertEquals(Duration.ofSeconds(90), c.convert("90s"));
        assertEquals(Duration.ofMinutes(90), c.convert("1h30m"));
    }
}

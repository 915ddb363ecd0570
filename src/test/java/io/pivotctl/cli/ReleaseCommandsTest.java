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
        assertTrue(t.err().contains("wants a duration such as 90s, 10m, 1h30m or 2d"), t.err());
        Cli.Result both = Cli.run("release-source", "a.tar.gz", "--verified-on", "k", "--skip-verify");
        assertEquals(2, both.exitCode(), both.toString());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
    }

    @Test
    void durationsReadLikeKubectls() {
        DurationConverter c = new DurationConverter();
        assertEquals(Duration.ZERO, c.convert("0"));
        assertEquals(Duration.ofMinutes(10), c.convert("10m"));
        assertEquals(Duration.ofSeconds(90), c.convert("90s"));
        assertEquals(Duration.ofMinutes(90), c.convert("1h30m"));
    }

    @Test
    void everyDurationOptionReadsTheSameForms() {
        DurationConverter c = new DurationConverter();
        assertEquals(Duration.ofDays(2), c.convert("2d"), "backups prune --abort-uploads-older-than 2d");
        assertEquals(Duration.ofMinutes(10), c.convert("PT10M"));
        assertEquals(Duration.ofMillis(500), c.convert("500ms"));
        assertEquals(Duration.ofSeconds(30), c.convert("30"));
        assertEquals(Duration.ofHours(25).plusMinutes(30), c.convert("1d1h30m"));
        for (String bad : new String[] {"", "-5m", "5x", "m", "PT-1M", "1.5h"}) {
            try {
                c.convert(bad);
                throw new AssertionError("accepted '" + bad + "'");
            } catch (picocli.CommandLine.TypeConversionException e) {
                assertEquals("wants a duration such as 90s, 10m, 1h30m or 2d", e.getMessage());
            }
        }
        Cli.Result prune = Cli.run("backups", "prune", "/nonexistent/never-read/", "--keep-last", "1", "--abort-uploads-older-than", "soon");
        assertEquals(2, prune.exitCode(), prune.toString());
        assertTrue(prune.err().contains("wants a duration such as"), prune.err());
    }
}

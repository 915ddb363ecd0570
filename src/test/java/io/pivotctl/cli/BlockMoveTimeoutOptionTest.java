package io.pivotctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.testing.Cli;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** --block-move-timeout: readable durations, documented in --help, a bad value is a usage error that does not echo it. */
class BlockMoveTimeoutOptionTest {

    @Test
    void durationsAreReadAsOperatorsWriteThem() {
        DurationConverter c = new DurationConverter();
        assertEquals(Duration.ofSeconds(90), c.convert("90s"));
        assertEquals(Duration.ofMinutes(5), c.convert("5m"));
        assertEquals(Duration.ofHours(1), c.convert("1h"));
        assertEquals(Duration.ofMillis(500), c.convert("500ms"));
        assertEquals(Duration.ofSeconds(30), c.convert("30"));
    }

    @Test
    void helpDocumentsItAndABadValueIsAUsageError() {
        Cli.Result help = Cli.run("export", "--help");
        assertTrue(help.out().contains("--block-move-timeout") && help.out().contains("default: 5m"), help.out());
        Cli.Result bad = Cli.run("export", "x.tar.gz", "--recipient", "age1x", "--block-move-timeout", "soon-ish-secret");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("wants a duration such as 90s, 10m, 1h30m or 2d"), bad.err());
        assertFalse(bad.err().contains("soon-ish-secret"), "the value is not echoed: " + bad.err());
    }
}

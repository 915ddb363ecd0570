package io.pivotctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.archive.ArchiveReads;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every command's run does with an Error that got past the limits (issue 20): one line on stderr, no stack trace,
 * exit 3 when an archive was being read and 1 otherwise, and --metrics-file written with success 0 so the alert fires.
 * The commands here throw the Error themselves: the real ones must never get there (HostileArchiveIT).
 */
class LastLineOfDefenceTest {

    @TempDir
    Path dir;

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Option(names = "--while-reading")
        boolean reading;

        @Option(names = "--stack")
        boolean stack;

        @Mixin
        MetricsOptions metrics;

        @Override
        public Integer call() {
            if (reading) {
                ArchiveReads.start().failed(); // as the archive reader leaves it when an Error ends the read
            }
            throw stack ? new StackOverflowError() : new OutOfMemoryError("Java heap space");
        }
    }

    private record Run(int exit, List<String> err) {
    }

    private static Run run(String... args) {
        CommandLine cl = PivotctlCommand.commandLine();
        cl.addSubcommand("boom", new Boom());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int exit = cl.execute(args);
        return new Run(exit, err.toString().lines().toList());
    }

    @Test
    void anOutOfMemoryErrorReadingAnArchiveIsExitThreeInOneLineAndTheMetricsSayFailed() throws Exception {
        Path metrics = dir.resolve("boom.prom");
        Run r = run("boom", "--while-reading", "--metrics-file", metrics.toString());
        assertEquals(3, r.exit(), r.toString());
        assertEquals(1, r.err().size(), r.toString());
        assertTrue(r.err().get(0).startsWith("error: reading the archive ran out of memory (OutOfMemoryError)"), r.toString());
        assertTrue(Files.readString(metrics).contains("pivotctl_last_run_success{command=\"boom\"} 0"), Files.readString(metrics));
        assertFalse(ArchiveReads.active(), "reported: a later command in this process starts clean");
    }

    @Test
    void anErrorAnywhereElseIsExitOneInOneLine() throws Exception {
        Path metrics = dir.resolve("stack.prom");
        Run r = run("boom", "--stack", "--metrics-file", metrics.toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals(List.of("error: ran out of stack (StackOverflowError) past the limits meant to stop it first; nothing more was done"
                + " (please report it; a legitimate input may need PIVOTCTL_JAVA_OPTS=-Xmx1g)"), r.err());
        assertTrue(Files.readString(metrics).contains("pivotctl_last_run_success{command=\"boom\"} 0"), Files.readString(metrics));
        Run plain = run("boom");
        assertEquals(1, plain.exit(), plain.toString());
        assertEquals(1, plain.err().size(), plain.toString());
    }
}

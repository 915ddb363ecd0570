package io.pivotctl.testing;

import io.pivotctl.cli.PivotctlCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Runs pivotctl in-process exactly as the command line would, capturing stdout, stderr and the exit code. */
public final class Cli {

    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        return execute(out, err, args);
    }

    private static Result execute(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = PivotctlCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** pivotctl running in-process on a thread of its own: a test can read its stderr while it runs. */
    public static final class Running {
        private final StringWriter err = new StringWriter();
        private final CompletableFuture<Result> result;

        private Running(String... args) {
            StringWriter out = new StringWriter();
            result = CompletableFuture.supplyAsync(() -> execute(out, err, args));
        }

        /** What it wrote to stderr so far. */
        public String errSoFar() {
            return err.toString();
        }

        public boolean isDone() {
            return result.isDone();
        }

        /**
         * Polls until stderr holds {@code text}; fails naming what it wrote when it ends or {@code timeout} passes first.
         */
        public void awaitErr(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!errSoFar().contains(text)) {
                if (isDone() || System.nanoTime() > deadline) {
                    throw new AssertionError("pivotctl never wrote '" + text + "' (" + (isDone() ? "it ended" : "not within " + timeout)
                            + "); its stderr:\n" + errSoFar());
                }
                Thread.sleep(50);
            }
        }

        public Result get(long timeout, TimeUnit unit) throws Exception {
            return result.get(timeout, unit);
        }
    }

    public static Running start(String... args) {
        return new Running(args);
    }

    public static Result run(java.util.List<String> args) {
        return run(args.toArray(String[]::new));
    }

    public static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package io.pivotctl.cli;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.Version;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code pivotctl} command. Subcommands are added here once they work. */
@Command(
        name = "pivotctl",
        mixinStandardHelpOptions = true,
        versionProvider = PivotctlCommand.VersionProvider.class,
        description = {
            "Export, validate and restore Metal3 / Cluster API management clusters:",
            "pivoting to another cluster and disaster-recovery backups.",
            ""
        },
        subcommands = {
            KeygenCommand.class,
            ExportCommand.class,
            InspectCommand.class,
            ValidateCommand.class,
            RekeyCommand.class,
            ImportCommand.class,
            BackupsCommand.class,
            VerifyCommand.class,
            DiffCommand.class,
            ReleaseSourceCommand.class,
            UnpauseCommand.class,
            LeasesCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class,
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success",
            "  1  operation failed",
            "  2  usage error",
            "  3  archive or preflight invalid (nothing was changed)",
            "  4  verify found differences",
        })
public final class PivotctlCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with pivotctl's error handling; tests use it to run commands in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PivotctlCommand());
        cl.setExecutionExceptionHandler(PivotctlCommand::handleExecutionException);
        cl.setParameterExceptionHandler(PivotctlCommand::handleParameterException);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(PivotctlCommand::executeWithMetrics);
        cl.registerConverter(io.pivotctl.storage.ArchiveLocation.class, PivotctlCommand::archiveLocation);
        return cl;
    }

    /** Given back to the heap when an OutOfMemoryError is reported, so the one line and the metrics file can be written. */
    private static volatile byte[] reserve = new byte[1 << 20];

    /**
     * Checks the options (deprecated spellings named, conflicts refused with exit 2: nothing read yet), then runs the
     * command; with -v the request count is its last -v line, also after a failure (before the error line).
     */
    private static int executeWithMetrics(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult last = leaf(parseResult);
        if (!last.isUsageHelpRequested() && !last.isVersionHelpRequested()) {
            OptionCheck.before(last.commandSpec());
        }
        KubeOptions kube = Mixins.of(last.commandSpec(), KubeOptions.class).orElse(null);
        try {
            return executeWithMetricsFile(parseResult);
        } catch (OutOfMemoryError | StackOverflowError error) {
            return lastLineOfDefence(error, last.commandSpec().commandLine().getErr());
        } finally {
            if (kube != null && kube.verbose && kube.requests.total() > 0) {
                PrintWriter err = last.commandSpec().commandLine().getErr();
                err.println(kube.requests.line());
                err.flush();
            }
        }
    }

    /** The subcommand that runs ({@code backups prune}, not {@code backups}). */
    private static CommandLine.ParseResult leaf(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult last = parseResult;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        return last;
    }

    /** Runs the command, then writes its --metrics-file (when it has one and it was given), also after a failure. */
    private static int executeWithMetricsFile(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult last = leaf(parseResult);
        MetricsOptions metrics = Mixins.of(last.commandSpec(), MetricsOptions.class).orElse(null);
        if (metrics == null) {
            return new CommandLine.RunLast().execute(parseResult);
        }
        String command = last.commandSpec().qualifiedName("_").substring(last.commandSpec().root().name().length() + 1);
        long started = System.currentTimeMillis();
        long t0 = System.nanoTime();
        int code;
        try {
            code = new CommandLine.RunLast().execute(parseResult);
        } catch (CommandLine.ExecutionException | OutOfMemoryError | StackOverflowError e) {
            if (e instanceof OutOfMemoryError) {
                reserve = null; // the failed command's garbage is unreachable now; this makes sure the file can be written
            }
            try {
                metrics.write(command, false, started, (System.nanoTime() - t0) / 1_000_000);
            } catch (PivotctlException ignored) {
                // the command's own failure is the one to report
            }
            throw e;
        }
        try {
            metrics.write(command, code == 0, started, (System.nanoTime() - t0) / 1_000_000);
        } catch (PivotctlException pe) {
            throw new CommandLine.ExecutionException(last.commandSpec().commandLine(), pe.getMessage(), pe);
        }
        return code;
    }

    /**
     * The last line of defence, not the mechanism: the format's limits and the read budget refuse hostile archives before
     * memory runs out. Whatever still gets here is one line, exit 3 when an archive was being read (it is the input's
     * doing), 1 otherwise; the metrics file (when asked for) already says the run failed.
     */
    static int lastLineOfDefence(Throwable error, PrintWriter err) {
        reserve = null;
        boolean reading = io.pivotctl.archive.ArchiveReads.active();
        io.pivotctl.archive.ArchiveReads.reset();
        String what = error instanceof OutOfMemoryError ? "ran out of memory" : "ran out of stack";
        err.println("error: " + (reading ? "reading the archive " : "") + what + " (" + error.getClass().getSimpleName() + ") past the limits meant"
                + " to stop it first; nothing more was done (please report it; a legitimate input may need PIVOTCTL_JAVA_OPTS=-Xmx1g)");
        if (System.getenv("PIVOTCTL_DEBUG") != null) {
            error.printStackTrace(err);
        }
        err.flush();
        reserve = new byte[1 << 20];
        return reading ? Outcome.INVALID.exitCode() : Outcome.FAILED.exitCode();
    }

    /** A bad location is a usage error whose message picocli prints after the option name, without an exception class. */
    private static io.pivotctl.storage.ArchiveLocation archiveLocation(String text) {
        try {
            return io.pivotctl.storage.ArchiveLocation.parse(text);
        } catch (PivotctlException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    private static int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        if (ex instanceof PivotctlException pe) {
            err.println("error: " + pe.getMessage());
            pe.details().forEach(d -> err.println("  - " + d));
            err.flush();
            return pe.outcome().exitCode();
        }
        // Anything else is a bug or an environment failure: one line, no stack trace (set PIVOTCTL_DEBUG=1 for it).
        err.println("error: " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + firstLine(ex.getMessage())));
        if (System.getenv("PIVOTCTL_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.flush();
        return Outcome.FAILED.exitCode();
    }

    private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            // never echo unmatched values: one may be a passphrase or key typed where it does not belong
            List<String> options = u.getUnmatched().stream().filter(a -> a.startsWith("-")).map(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) : a).toList();
            err.println("error: " + (options.isEmpty() ? "unexpected argument(s)" : "unknown option(s): " + String.join(", ", options)));
            if (options.stream().anyMatch(o -> o.startsWith("--passphrase") && !o.equals("--passphrase-file"))) {
                err.println("Passphrases are never taken from the command line (shell history, ps): use --passphrase-file FILE or PIVOTCTL_PASSPHRASE.");
            }
        } else {
            // picocli starts some messages (exclusive groups) with its own "Error: "; ours already says it
            err.println("error: " + ex.getMessage().replaceFirst("^Error: ", ""));
        }
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return Outcome.USAGE.exitCode();
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Reads the version filtered into the jar at build time. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.TOOL_NAME + " " + Version.current()};
        }
    }
}

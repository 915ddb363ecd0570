package io.pivotctl.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** The real age CLI (Debian package age), our interoperability oracle. Passphrase prompts are answered through a pty (script). */
final class AgeCli {

    record Result(int exit, byte[] stdout, String stderr) {
    }

    private AgeCli() {
    }

    static void require() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/age")) && Files.isExecutable(Path.of("/usr/bin/age-keygen"));
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("the age CLI is missing: scripts/setup-envtest.sh installs it (CI=true: interop tests must not skip)");
        }
        Assumptions.assumeTrue(present, "age CLI not installed: interop test skipped");
    }

    static Result run(List<String> cmd, byte[] stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        Assertions.assertTrue(p.waitFor(120, TimeUnit.SECONDS), "age timed out");
        return new Result(p.exitValue(), out, err);
    }

    /** Runs age under a pseudo-terminal so it can prompt for a passphrase; {@code answers} are typed in order. */
    static Result withTty(String ageCommandLine, String... answers) throws IOException, InterruptedException {
        StringBuilder typed = new StringBuilder();
        for (String a : answers) {
            typed.append(a).append('\n');
        }
        Path script = Files.createTempFile("age-tty", ".sh");
        try {
            // feed the answers slowly: age reads the terminal only after it printed its prompt
            Files.writeString(script, "#!/bin/sh\n(sleep 1; for a in " + quoteAll(answers) + "; do printf '%s\\n' \"$a\"; sleep 1; done) | script -qefc "
                    + shellQuote(ageCommandLine) + " /dev/null\n");
            return run(List.of("sh", script.toString()), null);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static String quoteAll(String[] answers) {
        StringBuilder b = new StringBuilder();
        for (String a : answers) {
            b.append(shellQuote(a)).append(' ');
        }
        return b.toString();
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}

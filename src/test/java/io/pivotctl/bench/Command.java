package io.pivotctl.bench;

import io.pivotctl.testing.S3Server;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a measured command as a child process, stdout and stderr to files (never through the harness heap). */
final class Command {

    static final long TIMEOUT_SECONDS = 3600;

    private Command() {
    }

    /** pivotctl as users run it: scripts/pivotctl (its JVM defaults) on {@code jar}, heap capped at 256 MB. */
    static List<String> pivotctl(Path jar, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "PIVOTCTL_JAR=" + jar.toAbsolutePath(), "PIVOTCTL_JAVA_OPTS=-Xmx256m", "scripts/pivotctl"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@code cmd} with the environment that points pivotctl's S3 client at {@code endpoint} (S3Proxy on loopback). */
    static List<String> s3(URI endpoint, List<String> cmd) {
        List<String> full = new ArrayList<>(List.of("env", "AWS_ENDPOINT_URL=" + endpoint, "AWS_REGION=us-east-1",
                "AWS_ACCESS_KEY_ID=" + S3Server.IDENTITY, "AWS_SECRET_ACCESS_KEY=" + S3Server.CREDENTIAL));
        full.addAll(cmd);
        return full;
    }

    /**
     * Runs {@code cmd} (under /usr/bin/time -v when {@code peakRss}), writing {@code dir/name.out} and {@code dir/name.err};
     * a non-zero exit fails the bench with the command and the end of its stderr.
     */
    static Measured run(List<String> cmd, Path dir, String name, boolean peakRss) throws IOException, InterruptedException {
        return run(cmd, dir, name, peakRss, 0);
    }

    /** The same, also accepting exit code {@code alsoOk} (the caller judges the output). */
    static Measured run(List<String> cmd, Path dir, String name, boolean peakRss, int alsoOk) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (peakRss) {
            if (!Files.isExecutable(Path.of("/usr/bin/time"))) {
                throw new IllegalStateException("/usr/bin/time is missing (peak RSS): run scripts/setup-envtest.sh or apt-get install time");
            }
            full.addAll(List.of("/usr/bin/time", "-v"));
        }
        full.addAll(cmd);
        Path err = dir.resolve(name + ".err");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(full).redirectOutput(out(dir, name).toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", cmd));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Measured.StderrFacts facts;
        try (var r = Files.newBufferedReader(err, StandardCharsets.UTF_8)) {
            facts = Measured.StderrFacts.read(r);
        }
        if (p.exitValue() != 0 && p.exitValue() != alsoOk) {
            throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + facts.tail());
        }
        Files.delete(err);
        return new Measured(seconds, facts.peakRssKb(), facts.apiRequests(), facts.cpuSeconds());
    }

    static Path out(Path dir, String name) {
        return dir.resolve(name + ".out");
    }
}

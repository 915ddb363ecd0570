package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.testing.Crds;
import io.pivotctl.testing.FleetArchive;
import io.pivotctl.testing.TestApiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The archive of a large fleet (default 5,000 hosts, 66,500 objects) read in a small heap: validate, inspect, import
 * into a real API server and verify it, each as users run it (scripts/pivotctl, -Xmx256m) under /usr/bin/time -v.
 * Asserts that each completes; prints (and writes to DIR/results.txt) time and peak RSS. No timing is asserted.
 *
 * <p>Making the archive (load the fleet into a real API server, export) and importing it take tens of minutes on two
 * shared cores, so it runs on request: {@code -Dpivotctl.scaleIT=true}, with {@code -Dpivotctl.scaleHosts=N} and
 * {@code -Dpivotctl.scaleDir=DIR} (an archive already in DIR is reused), {@code -Dpivotctl.scaleImport=false} to stop
 * after the offline commands.
 */
@EnabledIfSystemProperty(named = "pivotctl.scaleIT", matches = "true")
public class ArchiveScaleIT {

    record Measured(String what, int exit, double seconds, long peakRssKb, String lastLine) {
        String row() {
            return String.format(Locale.ROOT, "%-8s exit %d  %7.1f s  peak RSS %4d MB  | %s", what, exit, seconds, peakRssKb / 1024, lastLine);
        }
    }

    @Test
    void aLargeFleetsArchiveIsValidatedInspectedImportedAndVerifiedAtXmx256m() throws Exception {
        int hosts = Integer.getInteger("pivotctl.scaleHosts", 5000);
        run(hosts, Path.of(System.getProperty("pivotctl.scaleDir", "target/scale-" + hosts)).toAbsolutePath(),
                Boolean.parseBoolean(System.getProperty("pivotctl.scaleImport", "true")));
    }

    /** The same from a plain JVM (no build running around it): {@code ArchiveScaleIT HOSTS DIR [import:true|false]}, jar from -Dpivotctl.jar. */
    public static void main(String[] args) throws Exception {
        run(Integer.parseInt(args[0]), Path.of(args[1]).toAbsolutePath(), args.length < 3 || Boolean.parseBoolean(args[2]));
        System.exit(0);
    }

    static void run(int hosts, Path dir, boolean withImport) throws Exception {
        Path archive = FleetArchive.make(dir, hosts);
        Path key = dir.resolve("key.txt");
        List<Measured> rows = new ArrayList<>();
        rows.add(measure(dir, "validate", "validate", archive.toString(), "--identity", key.toString()));
        rows.add(measure(dir, "inspect", "inspect", archive.toString()));
        if (withImport) {
            try (TestApiServer target = TestApiServer.start()) {
                Crds.installPreferUpstream(target.client());
                rows.add(measure(dir, "import", "import", "-q", archive.toString(), "--kubeconfig", target.kubeconfig().toString(),
                        "--identity", key.toString(), "--concurrency", "16", "--qps", "0"));
                rows.add(measure(dir, "verify", "verify", archive.toString(), "--kubeconfig", target.kubeconfig().toString(),
                        "--identity", key.toString()));
            }
        }
        StringBuilder report = new StringBuilder("N=" + hosts + " hosts, " + archive + " (" + Files.size(archive) + " bytes), -Xmx256m\n");
        rows.forEach(r -> report.append(r.row()).append('\n'));
        Files.writeString(dir.resolve("results.txt"), report, StandardCharsets.UTF_8);
        System.out.println(report);
        for (Measured r : rows) {
            assertEquals(0, r.exit(), r.row());
            assertTrue(r.peakRssKb() > 0, "peak RSS measured: " + r.row());
        }
    }

    private static Measured measure(Path dir, String what, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-v", "env", "PIVOTCTL_JAVA_OPTS=-Xmx256m",
                "PIVOTCTL_JAR=" + Path.of(System.getProperty("pivotctl.jar", "target/pivotctl.jar")).toAbsolutePath(), "scripts/pivotctl"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve(what + ".out");
        Path err = dir.resolve(what + ".err");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.HOURS), what + " finished");
        double seconds = (System.nanoTime() - t0) / 1e9;
        String e = Files.readString(err, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)").matcher(e);
        List<String> lines = new ArrayList<>(Files.readAllLines(out, StandardCharsets.UTF_8));
        e.lines().filter(l -> l.startsWith("error")).forEach(lines::add);
        return new Measured(what, p.exitValue(), seconds, m.find() ? Long.parseLong(m.group(1)) : -1, lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    }
}

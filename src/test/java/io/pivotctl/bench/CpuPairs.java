package io.pivotctl.bench;

import io.pivotctl.Json;
import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.IdentityFiles;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.TestApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paired client-CPU comparison of two pivotctl jars on one fleet: the source is loaded once; each round runs export,
 * import (into a fresh target server) and verify with jar A, then with jar B (the order alternates by round, so a drift
 * in the machine's load falls on both). Prints pivotctl's user+sys CPU seconds per 1,000 objects per step, and each
 * jar's min and median. The import of both jars reads the same archive (written by jar A's first export), so the import
 * figure compares clients, not archives. Usage: {@code CpuPairs JAR_A JAR_B HOSTS ROUNDS}. No timing is asserted
 * anywhere: this is a measuring tool, like {@link Bench}.
 */
public final class CpuPairs {

    private static final String[] STEPS = {"export", "import", "verify"};

    private CpuPairs() {
    }

    public static void main(String[] args) throws Exception {
        Path[] jars = {Path.of(args[0]), Path.of(args[1])};
        int hosts = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        String[] outputFlag = {archiveFlag(jars[0]), archiveFlag(jars[1])};
        Path dir = Files.createTempDirectory("pivotctl-cpupairs");
        try (TestApiServer source = TestApiServer.startAll(List.of(CrdSet.upstreamOrFixtures())).get(0)) {
            int objects = FleetLoader.load(source.kubeconfig(), Bench.NAMESPACE, hosts).objects();
            AgeIdentity id = AgeIdentity.generate();
            Path key = dir.resolve("key.txt");
            IdentityFiles.writeNew(key, id.toIdentityFile(Instant.now()).getBytes(StandardCharsets.UTF_8));
            Path shared = dir.resolve("shared.tar.gz");
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    int j = (r % 2 == 0) ? k : 1 - k;
                    String tag = j == 0 ? "A" : "B";
                    Path archive = dir.resolve("fleet-" + tag + ".tar.gz");
                    Measured ex = Command.run(profiled(Command.pivotctl(jars[j], "export", outputFlag[j] + archive, "-q", "--kubeconfig",
                            source.kubeconfig().toString(), "-n", Bench.NAMESPACE, "--recipient", id.recipient()), tag, "export"), dir, "export", true);
                    if (!Files.exists(shared)) {
                        Files.copy(archive, shared);
                    }
                    record(cpu, tag, "export", ex, objects);
                    try (TestApiServer target = startTarget()) {
                        String dst = target.kubeconfig().toString();
                        Measured im = Command.run(profiled(Command.pivotctl(jars[j], "import", "-q", shared.toString(), "--kubeconfig", dst,
                                "--identity", key.toString(), "--concurrency", "16", "--qps", "0"), tag, "import"), dir, "import", true);
                        record(cpu, tag, "import", im, objects);
                        Measured ve = Command.run(profiled(Command.pivotctl(jars[j], "verify", shared.toString(), "--kubeconfig", dst,
                                "--identity", key.toString(), "-o", "json"), tag, "verify"), dir, "verify", true, Bench.VERIFY_DIFFERENCES);
                        if (System.getProperty("jfr") == null) { // JFR's start-up line goes to stdout, before the JSON
                            Bench.requireEqual(Json.MAPPER.readTree(Command.out(dir, "verify").toFile()));
                        }
                        record(cpu, tag, "verify", ve, objects);
                    }
                }
            }
            System.out.printf("%d hosts, %d objects, %d rounds; CPU s per 1,000 objects (user+sys), A=%s B=%s%n", hosts, objects, rounds,
                    jars[0], jars[1]);
            System.out.println("| step | A min | A median | B min | B median | B/A median |");
            System.out.println("|---|---|---|---|---|---|");
            for (String step : STEPS) {
                List<Double> a = cpu.get("A " + step);
                List<Double> b = cpu.get("B " + step);
                System.out.printf("| %s | %.2f | %.2f | %.2f | %.2f | %.2f |  A=%s B=%s%n", step, min(a), median(a), min(b), median(b),
                        median(b) / median(a), fmt(a), fmt(b));
            }
        } finally {
            Bench.deleteTree(dir);
        }
    }

    private static void record(Map<String, List<Double>> cpu, String tag, String step, Measured m, int objects) {
        double perK = m.cpuSeconds() * 1000.0 / objects;
        cpu.computeIfAbsent(tag + " " + step, x -> new ArrayList<>()).add(perK);
        Bench.log(String.format("%s %s: %.1f s wall, %.2f s CPU per 1,000 objects", tag, step, m.seconds(), perK));
    }

    private static double min(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String fmt(List<Double> xs) {
        List<String> out = new ArrayList<>();
        xs.forEach(x -> out.add(String.format("%.2f", x)));
        return String.join(",", out);
    }

    /** A fresh target; on a loaded shared machine the server may miss its start-up timeout, so a few tries. */
    private static TestApiServer startTarget() throws InterruptedException {
        for (int attempt = 1;; attempt++) {
            try {
                return TestApiServer.startAll(List.of(CrdSet.upstreamOrFixtures())).get(0);
            } catch (RuntimeException e) {
                if (attempt >= 4) {
                    throw e;
                }
                Bench.log("target did not start (" + e.getMessage() + "), again");
                Thread.sleep(5000);
            }
        }
    }

    /** Older jars (e.g. 8d87dad) take the export archive as {@code -o ARCHIVE}; newer ones as a positional argument. */
    private static String archiveFlag(Path jar) throws Exception {
        Process p = new ProcessBuilder("java", "-jar", jar.toString(), "export", "--help").redirectErrorStream(true).start();
        String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return help.contains("--output=ARCHIVE") ? "--output=" : "";
    }

    /** With -Djfr=DIR, each run records a JFR profile DIR/TAG-STEP.jfr (the last round's wins). */
    private static List<String> profiled(List<String> cmd, String tag, String step) {
        String jfr = System.getProperty("jfr");
        if (jfr == null) {
            return cmd;
        }
        List<String> out = new ArrayList<>(cmd);
        out.add(1, "JAVA_TOOL_OPTIONS=-XX:StartFlightRecording=filename=" + jfr + "/" + tag + "-" + step + ".jfr,settings=profile");
        return out;
    }
}

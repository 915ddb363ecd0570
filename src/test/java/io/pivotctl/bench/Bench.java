package io.pivotctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.Json;
import io.pivotctl.bench.BenchReport.FleetRun;
import io.pivotctl.bench.BenchReport.Row;
import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.IdentityFiles;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.kube.KubeTarget;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.S3Server;
import io.pivotctl.testing.TestApiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmark harness behind scripts/bench.sh: for each N, fresh source and target API servers, the synthetic fleet of
 * N hosts loaded into the source, then on the same servers: pivotctl export (to a file and to S3) vs
 * `kubectl get ... -A -o json`, pivotctl import vs a sequential create baseline and a parallel create ceiling, and
 * pivotctl verify of the target, which must find it equal (a fast but wrong import fails the bench). pivotctl runs
 * as a separate JVM (-Xmx256m, -v for its request count) under /usr/bin/time -v for peak RSS.
 * Usage: {@code Bench JAR OUT_JSON N...}; target/bench.json is rewritten after each N, so a failure keeps what was measured.
 */
public final class Bench {

    static final String NAMESPACE = "metal3";
    /** verify's exit code for "differences found": its report is read and named instead of a bare exit code. */
    static final int VERIFY_DIFFERENCES = 4;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Map<String, Object> machine = Machine.describe();
        List<FleetRun> fleets = new ArrayList<>();
        String failure = null;
        for (int i = 2; i < args.length && failure == null; i++) {
            int hosts = Integer.parseInt(args[i]);
            try {
                fleets.add(run(jar, hosts));
            } catch (Exception e) {
                failure = "N=" + hosts + ": " + e.getMessage();
            }
            Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(BenchReport.of(machine, fleets, failure)));
        }
        BenchReport report = BenchReport.of(machine, fleets, failure);
        System.out.println(report.markdown());
        if (failure != null) {
            System.err.println("[bench] FAILED " + failure);
        }
        System.exit(failure == null ? 0 : 1);
    }

    /** One fleet size, every row measured on the same two servers; throws when any step fails or verify finds a difference. */
    static FleetRun run(Path jar, int hosts) throws Exception {
        List<Row> rows = new ArrayList<>();
        Path dir = Files.createTempDirectory("pivotctl-bench");
        List<TestApiServer> servers = TestApiServer.startAll(List.of(CrdSet.upstreamOrFixtures(), CrdSet.upstreamOrFixtures()));
        try (TestApiServer source = servers.get(0); TestApiServer target = servers.get(1)) {
            log("N=" + hosts + ": loading the fleet into the source, " + FleetLoader.CLUSTERS_IN_FLIGHT + " clusters at a time");
            FleetLoader.Loaded loaded = FleetLoader.load(source.kubeconfig(), NAMESPACE, hosts);
            int objects = loaded.objects();
            log(String.format("N=%d: loaded %d objects in %.1f s (%.0f objects/s)", hosts, objects, loaded.seconds(), objects / loaded.seconds()));
            AgeIdentity id = AgeIdentity.generate();
            Path key = dir.resolve("key.txt");
            IdentityFiles.writeNew(key, id.toIdentityFile(Instant.now()).getBytes(StandardCharsets.UTF_8));
            Path archive = dir.resolve("fleet.tar.gz");
            String src = source.kubeconfig().toString();
            String dst = target.kubeconfig().toString();

            log("N=" + hosts + ": kubectl list baseline");
            String kinds = String.join(",", exportedResources(source));
            rows.add(Row.of(hosts, objects, "kubectl-list", Command.run(List.of("kubectl", "--kubeconfig", src, "get", kinds, "-A", "-o", "json"), dir,
                    "kubectl-list", false)));

            log("N=" + hosts + ": pivotctl export");
            rows.add(Row.of(hosts, objects, "export", Command.run(Command.pivotctl(jar, "export", archive.toString(), "-q", "-v", "--kubeconfig", src,
                    "-n", NAMESPACE, "--recipient", id.recipient()), dir, "export", true)));
            long archiveBytes = Files.size(archive);

            log("N=" + hosts + ": pivotctl export to S3");
            try (S3Server s3 = S3Server.start()) {
                s3.createBucket("bench");
                List<String> cmd = new ArrayList<>(List.of("env", "AWS_ENDPOINT_URL=" + s3.endpoint(), "AWS_REGION=us-east-1",
                        "AWS_ACCESS_KEY_ID=" + S3Server.IDENTITY, "AWS_SECRET_ACCESS_KEY=" + S3Server.CREDENTIAL));
                cmd.addAll(Command.pivotctl(jar, "export", "s3://bench/fleet.tar.gz", "-q", "-v", "--kubeconfig", src, "-n", NAMESPACE,
                        "--recipient", id.recipient()));
                rows.add(Row.of(hosts, objects, "export-s3", Command.run(cmd, dir, "export-s3", true)));
            }

            log("N=" + hosts + ": pivotctl import");
            rows.add(Row.of(hosts, objects, "import", Command.run(Command.pivotctl(jar, "import", "-q", "-v", archive.toString(), "--kubeconfig", dst,
                    "--identity", key.toString(), "--concurrency", "16", "--qps", "0"), dir, "import", true)));

            log("N=" + hosts + ": pivotctl verify of the target against the archive");
            rows.add(Row.of(hosts, objects, "verify", Command.run(Command.pivotctl(jar, "verify", "-v", archive.toString(), "--kubeconfig", dst,
                    "--identity", key.toString(), "-o", "json"), dir, "verify", true, VERIFY_DIFFERENCES)));
            JsonNode report = Json.MAPPER.readTree(Command.out(dir, "verify").toFile());
            requireEqual(report);

            try (ClusterConnection conn = KubeConnector.connect(new KubeTarget(target.kubeconfig(), null, 16, 0))) {
                log("N=" + hosts + ": sequential create baseline");
                rows.add(Row.of(hosts, objects, "sequential", new Measured(CreateBaseline.creates(conn, hosts, "bench-seq", 1), null, null)));
                log("N=" + hosts + ": parallel create ceiling");
                rows.add(Row.of(hosts, objects, "parallel", new Measured(CreateBaseline.creates(conn, hosts, "bench-par", 16), null, null)));
            }
            return new FleetRun(hosts, objects, loaded.seconds(), archiveBytes, rows, true, report.path("objectsChecked").asInt());
        } finally {
            deleteTree(dir);
        }
    }

    /** The verify report (-o json) must list no difference: a fast but wrong import must not score. */
    static void requireEqual(JsonNode verifyReport) {
        JsonNode differences = verifyReport.path("differences");
        if (!differences.isArray() || !differences.isEmpty()) {
            throw new IllegalStateException("verify did not find the target equal after import: " + differences.size() + " difference(s), first: "
                    + differences.path(0));
        }
        if (verifyReport.path("objectsChecked").asInt() <= 0) {
            throw new IllegalStateException("verify checked no objects: " + verifyReport);
        }
    }

    static List<String> exportedResources(TestApiServer s) {
        try (ClusterConnection conn = KubeConnector.connect(KubeTarget.of(s.kubeconfig(), null))) {
            List<String> out = new ArrayList<>();
            new Discovery(conn).exportableTypes().forEach(t -> out.add(t.qualifiedResource()));
            out.add("secrets");
            out.add("configmaps");
            return out;
        }
    }

    /** Progress on stderr with the wall-clock time, so a long run shows where its minutes went. */
    static void log(String s) {
        System.err.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + s);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

package io.pivotctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.Json;
import io.pivotctl.bench.BenchReport.FleetRun;
import io.pivotctl.bench.BenchReport.PivotWindow;
import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.IdentityFiles;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.kube.KubeTarget;
import io.pivotctl.testing.BmoStandIn;
import io.pivotctl.testing.ControllerManager;
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
import java.util.stream.IntStream;

/**
 * The benchmark harness behind scripts/bench.sh: for each N, fresh source and target API servers, the synthetic fleet of
 * N hosts loaded into the source, then on the same servers: pivotctl export (to a file and to S3) vs
 * `kubectl get ... -A -o json`, pivotctl import vs a sequential create baseline and a parallel create ceiling, and
 * pivotctl verify of the target, which must find it equal (a fast but wrong import fails the bench); issue 20's rows of
 * a signed archive (signed export, validate --verify-key, the import row's --require-signature, backups list, inspect
 * s3://); with a base jar, its export, import and verify beside ours (issue 23's CPU comparison); then, on fresh
 * servers, the pivot window: every step of the runbook from export --pause to release-source, timed. pivotctl runs
 * as a separate JVM (-Xmx256m, -v for its request count) under /usr/bin/time -v for peak RSS and CPU.
 * Usage: {@code Bench JAR OUT_JSON [--base-jar BASE_JAR] N...}; target/bench.json is rewritten after each N, so a
 * failure keeps what was measured.
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
        int first = 2;
        Path baseJar = null;
        if (args.length > 3 && args[2].equals("--base-jar")) {
            baseJar = Path.of(args[3]);
            first = 4;
        }
        String baseName = baseJar == null ? null : baseJar.getFileName().toString();
        Map<String, Object> machine = Machine.describe();
        List<FleetRun> fleets = new ArrayList<>();
        List<PivotWindow> pivots = new ArrayList<>();
        String failure = null;
        for (int i = first; i < args.length && failure == null; i++) {
            int hosts = Integer.parseInt(args[i]);
            try {
                fleets.add(run(jar, baseJar, hosts));
                // written before the pivot window too: at 5,000 hosts the window takes longer than all the rows before it,
                // and a run stopped in it must not lose them
                Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(
                        BenchReport.of(machine, fleets, pivots, baseName, "N=" + hosts + ": stopped in the pivot window")));
                pivots.add(pivotWindow(jar, hosts));
            } catch (Exception e) {
                failure = "N=" + hosts + ": " + e.getMessage();
            }
            BenchReport report = BenchReport.of(machine, fleets, pivots, baseName, failure);
            Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        }
        System.out.println(BenchReport.of(machine, fleets, pivots, baseName, failure).markdown());
        if (failure != null) {
            System.err.println("[bench] FAILED " + failure);
        }
        System.exit(failure == null ? 0 : 1);
    }

    /** The servers of one fleet size: source, target, the base jar's own target (null without a base jar), S3Proxy. */
    record Site(TestApiServer source, TestApiServer target, TestApiServer baseTarget, S3Server s3) {
    }

    /**
     * One fleet size, every row measured on the same servers; throws when any step fails or verify finds a difference.
     * {@code baseJar} (null: none) adds the base jar's export, import (into a third server, as empty as the target) and
     * verify, each right after the current jar's.
     */
    static FleetRun run(Path jar, Path baseJar, int hosts) throws Exception {
        Path dir = Files.createTempDirectory("pivotctl-bench");
        List<CrdSet> crds = IntStream.range(0, baseJar == null ? 2 : 3).mapToObj(i -> CrdSet.upstreamOrFixtures()).toList();
        List<TestApiServer> servers = TestApiServer.startAll(crds);
        try (S3Server s3 = S3Server.start()) {
            s3.createBucket(SignedRows.BUCKET);
            Site site = new Site(servers.get(0), servers.get(1), baseJar == null ? null : servers.get(2), s3);
            return measure(site, jar, baseJar, hosts, dir);
        } finally {
            servers.forEach(TestApiServer::close);
            deleteTree(dir);
        }
    }

    private static FleetRun measure(Site site, Path jar, Path baseJar, int hosts, Path dir) throws Exception {
        log("N=" + hosts + ": loading the fleet into the source, " + FleetLoader.CLUSTERS_IN_FLIGHT + " clusters at a time");
        FleetLoader.Loaded loaded = FleetLoader.load(site.source().kubeconfig(), NAMESPACE, hosts);
        int objects = loaded.objects();
        log(String.format("N=%d: loaded %d objects in %.1f s (%.0f objects/s)", hosts, objects, loaded.seconds(), objects / loaded.seconds()));
        FleetRows rows = new FleetRows(hosts, objects, dir);
        BenchKeys keys = BenchKeys.make(jar, dir);
        String src = site.source().kubeconfig().toString();
        String dst = site.target().kubeconfig().toString();
        Path archive = dir.resolve("fleet.tar.gz");
        BaseRows base = baseJar == null ? null : new BaseRows(baseJar, keys, rows);
        SignedRows signed = new SignedRows(jar, keys, site.s3().endpoint(), rows);

        log("N=" + hosts + ": kubectl list baseline");
        rows.add("kubectl-list", Command.run(List.of("kubectl", "--kubeconfig", src, "get", String.join(",", exportedResources(site.source())), "-A",
                "-o", "json"), dir, "kubectl-list", false));
        log("N=" + hosts + ": pivotctl export" + (base == null ? "" : ", then the base jar's"));
        rows.pivotctl("export", Command.pivotctl(jar, "export", archive.toString(), "-q", "-v", "--kubeconfig", src, "-n", NAMESPACE,
                "--recipient", keys.recipient()));
        if (base != null) {
            base.export(src);
        }
        log("N=" + hosts + ": pivotctl export to S3");
        rows.pivotctl("export-s3", Command.s3(site.s3().endpoint(), Command.pivotctl(jar, "export", "s3://" + SignedRows.BUCKET + "/fleet.tar.gz",
                "-q", "-v", "--kubeconfig", src, "-n", NAMESPACE, "--recipient", keys.recipient())));
        log("N=" + hosts + ": signed export to a file and to S3, validate --verify-key");
        signed.exportAndValidate(src);

        log("N=" + hosts + ": pivotctl import of the signed archive" + (base == null ? "" : ", then the base jar's import into its own target"));
        List<String> imp = new ArrayList<>(List.of("import", "-q", "-v", signed.archive().toString(), "--kubeconfig", dst, "--identity",
                keys.identity().toString(), "--concurrency", "16", "--qps", "0"));
        imp.addAll(signed.requireSignature());
        rows.pivotctl("import", Command.pivotctl(jar, imp.toArray(String[]::new)));
        if (base != null) {
            base.importInto(site.baseTarget().kubeconfig().toString());
        }
        log("N=" + hosts + ": pivotctl verify of the target against the archive");
        int checked = rows.verify("verify", Command.pivotctl(jar, "verify", "-v", signed.archive().toString(), "--kubeconfig", dst,
                "--identity", keys.identity().toString(), "-o", "json"));
        Integer baseChecked = base == null ? null : base.verify(site.baseTarget().kubeconfig().toString());
        log("N=" + hosts + ": backups list (folder, S3 prefix) and inspect s3:// of the signed archive");
        signed.list();
        createBaselines(site.target(), rows, hosts);
        return new FleetRun(hosts, objects, loaded.seconds(), Files.size(archive), rows.rows(), true, checked, baseChecked);
    }

    private static void createBaselines(TestApiServer target, FleetRows rows, int hosts) throws InterruptedException {
        try (ClusterConnection conn = KubeConnector.connect(new KubeTarget(target.kubeconfig(), null, 16, 0))) {
            log("N=" + hosts + ": sequential create baseline");
            rows.add("sequential", Measured.wall(CreateBaseline.creates(conn, hosts, "bench-seq", 1)));
            log("N=" + hosts + ": parallel create ceiling");
            rows.add("parallel", Measured.wall(CreateBaseline.creates(conn, hosts, "bench-par", 16)));
        }
    }

    /**
     * The pivot of one fleet as the runbook runs it, on fresh servers, timing each step: export --pause, validate, import,
     * verify (which must find the target equal), release-source --yes --verified-on, with a scripted BMO answering
     * detach on the source and, when kube-controller-manager is built, its garbage collector running there.
     */
    static PivotWindow pivotWindow(Path jar, int hosts) throws Exception {
        Path dir = Files.createTempDirectory("pivotctl-pivot");
        List<TestApiServer> servers = TestApiServer.startAll(List.of(CrdSet.upstreamOrFixtures(), CrdSet.upstreamOrFixtures()));
        try (TestApiServer source = servers.get(0); TestApiServer target = servers.get(1)) {
            boolean gc = Files.isExecutable(ControllerManager.binary());
            log("N=" + hosts + ": pivot window: loading the fleet" + (gc ? ", garbage collector on the source" : " (no controller-manager built)"));
            FleetLoader.Loaded loaded = FleetLoader.load(source.kubeconfig(), NAMESPACE, hosts);
            if (gc) {
                source.ensureGarbageCollector(); // after the load, as on a cluster that has run for a while: it syncs what is there
            }
            AgeIdentity id = AgeIdentity.generate();
            Path key = dir.resolve("key.txt");
            IdentityFiles.writeNew(key, id.toIdentityFile(Instant.now()).getBytes(StandardCharsets.UTF_8));
            String archive = dir.resolve("pivot.tar.gz").toString();
            String src = source.kubeconfig().toString();
            String dst = target.kubeconfig().toString();
            Map<String, Double> steps = new java.util.LinkedHashMap<>();
            steps.put("export --pause", Command.run(Command.pivotctl(jar, "export", archive, "-q", "--kubeconfig", src, "-n", NAMESPACE,
                    "--recipient", id.recipient(), "--pause"), dir, "pivot-export", false).seconds());
            steps.put("validate", Command.run(Command.pivotctl(jar, "validate", archive, "--identity", key.toString()), dir, "pivot-validate", false).seconds());
            steps.put("import", Command.run(Command.pivotctl(jar, "import", archive, "-q", "--kubeconfig", dst, "--identity", key.toString()),
                    dir, "pivot-import", false).seconds());
            steps.put("verify", Command.run(Command.pivotctl(jar, "verify", archive, "--kubeconfig", dst, "--identity", key.toString(), "-o", "json"),
                    dir, "pivot-verify", false, VERIFY_DIFFERENCES).seconds());
            requireEqual(Json.MAPPER.readTree(Command.out(dir, "pivot-verify").toFile()));
            try (BmoStandIn bmo = BmoStandIn.start(source.client(), NAMESPACE)) {
                steps.put("release-source --yes", Command.run(Command.pivotctl(jar, "release-source", archive, "-q", "--kubeconfig", src,
                        "--identity", key.toString(), "--yes", "--verified-on", dst), dir, "pivot-release", false).seconds());
            }
            return new PivotWindow(hosts, loaded.objects(), gc, steps);
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

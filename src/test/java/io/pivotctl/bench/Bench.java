package io.pivotctl.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.IdentityFiles;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.kube.KubeTarget;
import io.pivotctl.kube.Parallel;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.testing.Crds;
import io.pivotctl.testing.InventoryLoader;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.S3Server;
import io.pivotctl.testing.TestApiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark harness behind scripts/bench.sh: for each N, fresh source and target API servers, the
 * synthetic fleet of N hosts loaded into the source, then in one run on the same servers: pivotctl export
 * vs `kubectl get ... -A -o json`, and pivotctl import vs a sequential one-by-one create baseline and a
 * parallel create ceiling (no ordering, no status). pivotctl runs as a separate JVM under /usr/bin/time -v.
 * Usage: {@code Bench JAR OUT_JSON N...}.
 */
public final class Bench {

    record Row(int hosts, int objects, String what, double seconds, double objectsPerSecond, Long peakRssKb) {
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<Row> rows = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            rows.addAll(run(jar, Integer.parseInt(args[i])));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", machine());
        doc.put("rows", rows);
        Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        System.out.println(markdown(rows));
        System.exit(0);
    }

    static List<Row> run(Path jar, int hosts) throws Exception {
        List<Row> rows = new ArrayList<>();
        Path dir = Files.createTempDirectory("pivotctl-bench");
        try (TestApiServer source = TestApiServer.start(); TestApiServer target = TestApiServer.start()) {
            Crds.installPreferUpstream(source.client());
            Crds.installPreferUpstream(target.client());
            List<ObjectNode> fleet = Metal3Fleet.fleet("metal3", hosts);
            log("N=" + hosts + ": loading " + fleet.size() + " objects into the source");
            InventoryLoader.load(source.kubeconfig(), fleet, 16);
            int objects = fleet.size();
            AgeIdentity id = AgeIdentity.generate();
            Path key = dir.resolve("key.txt");
            IdentityFiles.writeNew(key, id.toIdentityFile(Instant.now()).getBytes(StandardCharsets.UTF_8));
            Path archive = dir.resolve("fleet.tar.gz");

            log("N=" + hosts + ": kubectl list baseline");
            String kinds = String.join(",", exportedResources(source));
            Measured list = measure(List.of("kubectl", "--kubeconfig", source.kubeconfig().toString(), "get", kinds, "-A", "-o", "json"), dir, false);
            rows.add(new Row(hosts, objects, "export baseline: kubectl get <all exported resources> -A -o json", list.seconds, objects / list.seconds, null));

            log("N=" + hosts + ": pivotctl export");
            Measured exp = measure(pivotctl(jar, "export", "-q", "--kubeconfig", source.kubeconfig().toString(),
                    "-n", "metal3", "--recipient", id.recipient(), "-o", archive.toString()), dir, true);
            rows.add(new Row(hosts, objects, "pivotctl export (scripts/pivotctl, -Xmx256m, encryption and archive included)", exp.seconds, objects / exp.seconds, exp.rssKb));

            log("N=" + hosts + ": pivotctl export to S3");
            try (S3Server s3 = S3Server.start()) {
                s3.createBucket("bench");
                List<String> cmd = new ArrayList<>(List.of("env", "AWS_ENDPOINT_URL=" + s3.endpoint(), "AWS_REGION=us-east-1",
                        "AWS_ACCESS_KEY_ID=" + S3Server.IDENTITY, "AWS_SECRET_ACCESS_KEY=" + S3Server.CREDENTIAL));
                cmd.addAll(pivotctl(jar, "export", "-q", "--kubeconfig", source.kubeconfig().toString(), "-n", "metal3", "--recipient", id.recipient(),
                        "-o", "s3://bench/fleet.tar.gz"));
                Measured up = measure(cmd, dir, true);
                rows.add(new Row(hosts, objects, "pivotctl export-to-S3 (same, streamed multipart upload to S3Proxy on loopback)", up.seconds,
                        objects / up.seconds, up.rssKb));
            }

            log("N=" + hosts + ": pivotctl import");
            Measured imp = measure(pivotctl(jar, "import", "-q", archive.toString(), "--kubeconfig",
                    target.kubeconfig().toString(), "--identity", key.toString(), "--concurrency", "16", "--qps", "0"), dir, true);
            rows.add(new Row(hosts, objects, "pivotctl import (scripts/pivotctl, -Xmx256m; preflight dry run, ordering, UID rewrite, status)", imp.seconds,
                    objects / imp.seconds, imp.rssKb));
            log("N=" + hosts + ": pivotctl verify (not timed: proves the measured import restored everything)");
            measure(pivotctl(jar, "verify", archive.toString(), "--kubeconfig", target.kubeconfig().toString(),
                    "--identity", key.toString()), dir, false);

            List<ObjectNode> plain = plainCreates(fleet);
            try (ClusterConnection conn = KubeConnector.connect(new KubeTarget(target.kubeconfig(), null, 16, 0))) {
                log("N=" + hosts + ": sequential create baseline");
                double seq = creates(conn, plain, "bench-seq", 1);
                rows.add(new Row(hosts, objects, "import baseline: sequential creates, one at a time (no status)", seq, objects / seq, null));
                log("N=" + hosts + ": parallel create ceiling");
                double par = creates(conn, plain, "bench-par", 16);
                rows.add(new Row(hosts, objects, "import ceiling: 16 parallel creates, no ordering, no status", par, objects / par, null));
            }
        } finally {
            deleteTree(dir);
        }
        return rows;
    }

    record Measured(double seconds, Long rssKb) {
    }

    /** pivotctl as users run it: scripts/pivotctl (its JVM defaults) on {@code jar}, heap capped at 256 MB. */
    static List<String> pivotctl(Path jar, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "PIVOTCTL_JAR=" + jar.toAbsolutePath(), "PIVOTCTL_JAVA_OPTS=-Xmx256m", "scripts/pivotctl"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static Measured measure(List<String> cmd, Path dir, boolean timeV) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (timeV && Files.isExecutable(Path.of("/usr/bin/time"))) {
            full.addAll(List.of("/usr/bin/time", "-v"));
        }
        full.addAll(cmd);
        Path log = dir.resolve("cmd.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(full).redirectOutput(dir.resolve("cmd.out").toFile()).redirectError(log.toFile()).start();
        if (!p.waitFor(3600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String err = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("failed (" + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + err);
        }
        Matcher m = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)").matcher(err);
        return new Measured(seconds, m.find() ? Long.valueOf(m.group(1)) : null);
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

    /** The fleet as bare creates: no owner references (no UIDs to rewrite), no status. */
    static List<ObjectNode> plainCreates(List<ObjectNode> fleet) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode o : fleet) {
            ObjectNode c = o.deepCopy();
            c.remove("status");
            c.with("metadata").remove("ownerReferences");
            out.add(c);
        }
        return out;
    }

    static double creates(ClusterConnection conn, List<ObjectNode> objects, String namespace, int concurrency) {
        ResourceClient client = new ResourceClient(conn);
        client.create(ResourceType.NAMESPACE, (ObjectNode) Json.MAPPER.valueToTree(Map.of("apiVersion", "v1", "kind", "Namespace",
                "metadata", Map.of("name", namespace))), false);
        Discovery discovery = new Discovery(conn);
        Map<String, Optional<ResourceType>> types = new ConcurrentHashMap<>();
        List<ObjectNode> bodies = new ArrayList<>();
        for (ObjectNode o : objects) {
            ObjectNode c = o.deepCopy();
            c.with("metadata").put("namespace", namespace);
            bodies.add(c);
            ObjectId id = ObjectId.of(c);
            String v = c.path("apiVersion").asText();
            String version = v.contains("/") ? v.substring(v.indexOf('/') + 1) : v;
            types.computeIfAbsent(id.group() + "/" + version + "/" + id.kind(), k -> discovery.find(id.group(), version, id.kind()));
        }
        Map<ObjectNode, ResourceType> typeOf = new HashMap<>();
        for (ObjectNode c : bodies) {
            ObjectId id = ObjectId.of(c);
            String v = c.path("apiVersion").asText();
            typeOf.put(c, types.get(id.group() + "/" + (v.contains("/") ? v.substring(v.indexOf('/') + 1) : v) + "/" + id.kind()).orElseThrow());
        }
        long t0 = System.nanoTime();
        Parallel.map(bodies, concurrency, c -> client.create(typeOf.get(c), c, false));
        return (System.nanoTime() - t0) / 1e9;
    }

    static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| hosts | objects | what | seconds | objects/s | peak RSS MB |\n|---:|---:|---|---:|---:|---:|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %d | %d | %s | %.1f | %.0f | %s |%n", r.hosts(), r.objects(), r.what(), r.seconds(), r.objectsPerSecond(),
                    r.peakRssKb() == null ? "" : String.valueOf(r.peakRssKb() / 1024)));
        }
        Map<Integer, Map<String, Row>> byN = new LinkedHashMap<>();
        rows.forEach(r -> byN.computeIfAbsent(r.hosts(), k -> new LinkedHashMap<>()).put(r.what().split(" ")[0] + " " + r.what().split(" ")[1], r));
        b.append("\n| hosts | export / kubectl list (time) | export to S3 / to a file (time, peak RSS) | import speed-up vs sequential |"
                + " import / parallel ceiling (speed) |\n|---:|---:|---:|---:|---:|\n");
        byN.forEach((n, m) -> {
            Row exp = m.get("pivotctl export");
            Row list = m.get("export baseline:");
            Row s3 = m.get("pivotctl export-to-S3");
            Row imp = m.get("pivotctl import");
            Row seq = m.get("import baseline:");
            Row par = m.get("import ceiling:");
            String rss = s3.peakRssKb() == null || exp.peakRssKb() == null ? "" : String.format(Locale.ROOT, ", %.2fx", (double) s3.peakRssKb() / exp.peakRssKb());
            b.append(String.format(Locale.ROOT, "| %d | %.2fx | %.2fx%s | %.2fx | %.2fx |%n", n, exp.seconds() / list.seconds(), s3.seconds() / exp.seconds(),
                    rss, seq.seconds() / imp.seconds(), par.seconds() / imp.seconds()));
        });
        return b.toString();
    }

    static Map<String, Object> machine() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.version"));
        m.put("apiserver", "kube-apiserver " + TestApiServer.K8S_VERSION + " + etcd (same machine)");
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst().orElse("");
        m.put("cpu", cpu.replaceFirst("model name\\s*:\\s*", ""));
        return m;
    }

    static void log(String s) {
        System.err.println("[bench] " + s);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

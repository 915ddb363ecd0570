package io.pivotctl.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a bench run found, as target/bench.json (this record, serialised) and as Markdown: every row per fleet size, the
 * ratios against the baselines, and how time per object grows from the smallest to the largest fleet.
 * {@code failure} names what stopped the run; the fleets measured before it are still reported.
 */
record BenchReport(Map<String, Object> machine, List<FleetRun> fleets, List<SizeRatios> ratios, Scaling scaling, List<PivotWindow> pivots,
        List<RssLimit> rssLimits, BaseComparison base, String failure) {

    /** The rows in the order they are measured; {@code key} names them in bench.json. */
    static final Map<String, String> ROWS = rows();

    private static Map<String, String> rows() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kubectl-list", "export baseline: `kubectl get <all exported resources> -A -o json`");
        m.put("export", "pivotctl export to a file (encryption, self-check and archive included)");
        m.put("export-s3", "pivotctl export to S3 (streamed multipart upload to S3Proxy on loopback)");
        m.put("export-signed", "pivotctl export to a file, signed (`--sign-key`, Ed25519 over the manifest's SHA-256)");
        m.put("export-signed-s3", "pivotctl export to S3, signed (`--sign-key`)");
        m.put("validate-signed", "pivotctl validate of the signed archive (`--identity --verify-key --require-signature`)");
        m.put("import", "pivotctl import of the signed archive, `--require-signature --verify-key` (preflight dry run, ordering, UID rewrite, status)");
        m.put("verify", "pivotctl verify of the target against the archive, after the import");
        m.put("backups-list", "pivotctl backups list of a folder holding the signed archive");
        m.put("backups-list-s3", "pivotctl backups list of an S3 prefix holding the signed archive");
        m.put("inspect-s3", "pivotctl inspect s3://... of the signed archive (without `--full`)");
        m.put("sequential", "import baseline: sequential creates, one at a time (no status)");
        m.put("parallel", "import ceiling: 16 parallel creates, no ordering, no status");
        return Collections.unmodifiableMap(m);
    }

    /**
     * The base jar's rows, measured only when a base jar is given (scripts/bench.sh --base REV): the same fleet, exported
     * by the base jar and imported into a second target server as empty as the first was, with flags both jars have.
     */
    static final Map<String, String> BASE_ROWS = Map.of(
            "base-export", "base jar: pivotctl export to a file (unsigned)",
            "base-import", "base jar: pivotctl import of its own archive into a second empty target",
            "base-verify", "base jar: pivotctl verify of that second target");

    /**
     * Rows with no pivotctl request count to show: the baselines the harness times itself, and commands that send no
     * API request (validate, backups list, inspect). The others show "n/a" where pivotctl printed no count.
     */
    static final Set<String> NO_REQUEST_COUNT = Set.of("kubectl-list", "sequential", "parallel", "validate-signed", "backups-list",
            "backups-list-s3", "inspect-s3");

    /** The rows whose time per object is compared across fleet sizes. */
    static final List<String> SCALED = List.of("export", "import", "verify");

    /** One measurement. Peak RSS and requests are null where not measured (baselines) or not reported (no -v count line). */
    record Row(int hosts, int objects, String key, String what, double seconds, double objectsPerSecond, Long peakRssKb, Long apiRequests,
            Double requestsPerObject, Double cpuSecondsPer1000Objects) {

        static Row of(int hosts, int objects, String key, Measured m) {
            String what = ROWS.containsKey(key) ? ROWS.get(key) : BASE_ROWS.get(key);
            if (what == null) {
                throw new IllegalArgumentException("unknown bench row " + key);
            }
            return new Row(hosts, objects, key, what, m.seconds(), objects / m.seconds(), m.peakRssKb(), m.apiRequests(),
                    m.apiRequests() == null ? null : (double) m.apiRequests() / objects, m.cpuSeconds() == null ? null : m.cpuSeconds() * 1000 / objects);
        }
    }

    /**
     * The whole pivot of one fleet, on fresh servers, as the runbook runs it: each step's wall seconds and its share of
     * the total. {@code garbageCollector}: whether the source ran kube-controller-manager's garbage collector during
     * release-source (it does when the binary is built).
     */
    record PivotWindow(int hosts, int objects, boolean garbageCollector, Map<String, Double> stepSeconds) {

        static final List<String> STEPS = List.of("export --pause", "validate", "import", "verify", "release-source --yes");

        PivotWindow {
            stepSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(stepSeconds));
        }

        double totalSeconds() {
            return stepSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        String markdownRow() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "| %d | %d | %.1f min |", hosts, objects, totalSeconds() / 60));
            for (String step : STEPS) {
                double s = stepSeconds.getOrDefault(step, 0.0);
                b.append(String.format(Locale.ROOT, " %.1f s (%.0f%%) |", s, 100 * s / totalSeconds()));
            }
            return b.append(garbageCollector ? " on |" : " off |").toString();
        }
    }

    /**
     * One fleet size, measured in full; {@code targetEqual} is what verify reported after the import, {@code archiveBytes}
     * the export's size; {@code baseObjectsChecked} what the base jar's verify checked on its target (null: no base jar).
     */
    record FleetRun(int hosts, int objects, double loadSeconds, long archiveBytes, List<Row> rows, boolean targetEqual, int objectsChecked,
            Integer baseObjectsChecked) {

        Row row(String key) {
            return rows.stream().filter(r -> r.key().equals(key)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("N=" + hosts + " has no " + key + " row"));
        }
    }

    /**
     * Time ratios are "how many times as long" (lower is better); speed ratios are "how many times as fast" (higher is
     * better): import ÷ parallel ceiling 0.45x means import reaches 45% of the bare-create rate.
     */
    record SizeRatios(int hosts, double exportTimeVsKubectlList, double exportToS3TimeVsFile, Double exportToS3PeakRssVsFile,
            double importSpeedVsParallelCeiling, double importSpeedVsSequential) {

        static SizeRatios of(FleetRun f) {
            Row exp = f.row("export");
            Row s3 = f.row("export-s3");
            Row imp = f.row("import");
            Double rss = s3.peakRssKb() == null || exp.peakRssKb() == null ? null : (double) s3.peakRssKb() / exp.peakRssKb();
            return new SizeRatios(f.hosts(), exp.seconds() / f.row("kubectl-list").seconds(), s3.seconds() / exp.seconds(), rss,
                    f.row("parallel").seconds() / imp.seconds(), f.row("sequential").seconds() / imp.seconds());
        }
    }

    /** Time per object at {@code toHosts} ÷ time per object at {@code fromHosts}, per pivotctl command (1.0 = linear). */
    record Scaling(int fromHosts, int toHosts, Map<String, Double> timePerObjectGrowth) {

        /** Null with fewer than two fleet sizes: there is nothing to compare. */
        static Scaling of(List<FleetRun> fleets) {
            if (fleets.stream().map(FleetRun::hosts).distinct().count() < 2) {
                return null;
            }
            FleetRun small = fleets.stream().min(Comparator.comparingInt(FleetRun::hosts)).orElseThrow();
            FleetRun large = fleets.stream().max(Comparator.comparingInt(FleetRun::hosts)).orElseThrow();
            Map<String, Double> growth = new LinkedHashMap<>();
            for (String key : SCALED) {
                growth.put(key, perObject(large.row(key)) / perObject(small.row(key)));
            }
            return new Scaling(small.hosts(), large.hosts(), growth);
        }

        private static double perObject(Row r) {
            return r.seconds() / r.objects();
        }
    }

    static BenchReport of(Map<String, Object> machine, List<FleetRun> fleets, String failure) {
        return of(machine, fleets, List.of(), failure);
    }

    static BenchReport of(Map<String, Object> machine, List<FleetRun> fleets, List<PivotWindow> pivots, String failure) {
        return of(machine, fleets, pivots, null, failure);
    }

    /** {@code baseJar}: the name of the base jar whose rows were measured too (null: none, no comparison). */
    static BenchReport of(Map<String, Object> machine, List<FleetRun> fleets, List<PivotWindow> pivots, String baseJar, String failure) {
        List<SizeRatios> ratios = new ArrayList<>();
        List<RssLimit> limits = new ArrayList<>();
        List<CpuVsBase> cpu = new ArrayList<>();
        for (FleetRun f : fleets) {
            ratios.add(SizeRatios.of(f));
            limits.add(RssLimit.of(f, RssLimit.ISSUE_20_MB));
            cpu.addAll(CpuVsBase.of(f));
        }
        BaseComparison base = baseJar == null ? null : new BaseComparison(baseJar, cpu);
        return new BenchReport(machine, List.copyOf(fleets), ratios, Scaling.of(fleets), List.copyOf(pivots), limits, base, failure);
    }

    /** Client CPU of the current jar against {@code jar}'s, per fleet size and command, measured in the same run. */
    record BaseComparison(String jar, List<CpuVsBase> cpu) {

        BaseComparison {
            cpu = List.copyOf(cpu);
        }
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Machine: %s, %s cores, %s GiB RAM, Java %s, %s%n%n", machine.get("cpu"), machine.get("cores"),
                machine.get("ramGiB"), machine.get("java"), machine.get("apiserver")));
        rowTable(b);
        ratioTable(b);
        scalingLines(b);
        rssLimitLines(b);
        baseTable(b);
        pivotTable(b);
        if (failure != null) {
            b.append("\nFAILED: ").append(failure).append('\n');
        }
        return b.toString();
    }

    private void rowTable(StringBuilder b) {
        b.append("| hosts | objects | what | seconds | objects/s | peak RSS MB | requests/object | CPU s / 1000 objects |\n"
                + "|---:|---:|---|---:|---:|---:|---:|---:|\n");
        for (FleetRun f : fleets) {
            for (Row r : f.rows()) {
                b.append(String.format(Locale.ROOT, "| %d | %d | %s | %.1f | %.0f | %s | %s | %s |%n", r.hosts(), r.objects(), r.what(), r.seconds(),
                        r.objectsPerSecond(), r.peakRssKb() == null ? "" : String.valueOf(r.peakRssKb() / 1024),
                        r.requestsPerObject() != null ? String.format(Locale.ROOT, "%.2f", r.requestsPerObject()) : NO_REQUEST_COUNT.contains(r.key()) ? "" : "n/a",
                        r.cpuSecondsPer1000Objects() == null ? "" : String.format(Locale.ROOT, "%.2f", r.cpuSecondsPer1000Objects())));
            }
        }
    }

    private void ratioTable(StringBuilder b) {
        b.append("\n| hosts | export ÷ kubectl list (time) | export to S3 ÷ to a file (time, peak RSS) | import ÷ parallel ceiling (speed)"
                + " | import ÷ sequential (speed) | verify found the target |\n|---:|---:|---:|---:|---:|---|\n");
        for (int i = 0; i < ratios.size(); i++) {
            SizeRatios r = ratios.get(i);
            FleetRun f = fleets.get(i);
            b.append(String.format(Locale.ROOT, "| %d | %.2fx | %.2fx%s | %.2fx | %.2fx | %s (%d objects checked) |%n", r.hosts(), r.exportTimeVsKubectlList(),
                    r.exportToS3TimeVsFile(), r.exportToS3PeakRssVsFile() == null ? "" : String.format(Locale.ROOT, ", %.2fx", r.exportToS3PeakRssVsFile()),
                    r.importSpeedVsParallelCeiling(), r.importSpeedVsSequential(), f.targetEqual() ? "equal" : "DIFFERENT", f.objectsChecked()));
        }
        b.append('\n');
    }

    private void scalingLines(StringBuilder b) {
        if (scaling == null) {
            b.append("Scaling: n/a (one fleet size measured; run e.g. `scripts/bench.sh 1000 5000`)\n");
        } else {
            b.append(String.format(Locale.ROOT, "Scaling, time per object at %d hosts ÷ at %d hosts (1.00x = linear):", scaling.toHosts(), scaling.fromHosts()));
            scaling.timePerObjectGrowth().forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %.2fx,", k, v)));
            b.setLength(b.length() - 1);
            b.append('\n');
        }
        for (FleetRun f : fleets) {
            b.append(String.format(Locale.ROOT, "%d hosts: fleet loaded by the harness (not pivotctl) in %.1f s (%.0f objects/s); archive %.1f MB%n", f.hosts(),
                    f.loadSeconds(), f.objects() / f.loadSeconds(), f.archiveBytes() / 1e6));
        }
    }

    private void rssLimitLines(StringBuilder b) {
        if (!rssLimits.isEmpty()) {
            b.append("\nIssue 20, the signed archive at -Xmx256m:\n\n");
            rssLimits.forEach(l -> b.append("- ").append(l.sentence()).append('\n'));
        }
    }

    private void baseTable(StringBuilder b) {
        if (base == null) {
            return;
        }
        b.append("\nClient CPU, base jar `").append(base.jar()).append("` vs current, in the same run on the same servers and fleet"
                + " (user+sys CPU seconds per 1,000 objects; negative change = the current jar spends less):\n\n"
                + "| hosts | command | base CPU s / 1000 objects | current CPU s / 1000 objects | change |\n|---:|---|---:|---:|---:|\n");
        base.cpu().forEach(c -> b.append(c.markdownRow()).append('\n'));
        for (FleetRun f : fleets) {
            if (f.baseObjectsChecked() != null) {
                b.append(String.format(Locale.ROOT, "%d hosts: the base jar's verify found its target equal (%d objects checked)%n", f.hosts(),
                        f.baseObjectsChecked()));
            }
        }
    }

    private void pivotTable(StringBuilder b) {
        if (pivots.isEmpty()) {
            return;
        }
        b.append("\nThe pivot window (fresh servers, a scripted BMO answering detach on the source):\n\n| hosts | objects | total |");
        PivotWindow.STEPS.forEach(step -> b.append(' ').append(step).append(" |"));
        b.append(" garbage collector |\n|---:|---:|---:|");
        PivotWindow.STEPS.forEach(step -> b.append("---:|"));
        b.append("---|\n");
        pivots.forEach(p -> b.append(p.markdownRow()).append('\n'));
    }
}

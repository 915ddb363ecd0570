package io.pivotctl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.Json;
import io.pivotctl.bench.BenchReport.FleetRun;
import io.pivotctl.bench.BenchReport.Row;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic and parsing of the bench report, on made-up measurements (no server, no timing). */
class BenchReportTest {

    static final Map<String, Object> MACHINE = Map.of("cpu", "Test CPU", "cores", 2, "ramGiB", 4.0, "java", "17", "apiserver", "kube-apiserver");

    /** A fleet where every row took {@code secondsPerObject} × the factor given per key. */
    static FleetRun fleet(int hosts, int objects, double importFactor, Long importRequests) {
        List<Row> rows = new ArrayList<>();
        Map<String, Double> factor = new java.util.HashMap<>(Map.of("kubectl-list", 1.0, "export", 1.5, "export-s3", 1.8, "import", importFactor,
                "verify", 1.2, "sequential", 4.0, "parallel", 2.0));
        Map.of("export-signed", 1.6, "export-signed-s3", 1.9, "validate-signed", 0.8, "backups-list", 0.05, "backups-list-s3", 0.06, "inspect-s3", 0.04)
                .forEach(factor::put);
        for (String key : BenchReport.ROWS.keySet()) {
            boolean pivotctl = !List.of("kubectl-list", "sequential", "parallel").contains(key);
            rows.add(Row.of(hosts, objects, key, new Measured(objects * 0.001 * factor.get(key), pivotctl ? 300_000L : null,
                    key.equals("import") ? importRequests : null, pivotctl ? objects * 0.002 : null)));
        }
        return new FleetRun(hosts, objects, 10, objects * 700L, rows, true, objects, null);
    }

    /** {@code f} with {@code key}'s row measured as {@code m} instead (or added, for a base row). */
    static FleetRun with(FleetRun f, String key, Measured m) {
        List<Row> rows = new ArrayList<>(f.rows().stream().filter(r -> !r.key().equals(key)).toList());
        rows.add(Row.of(f.hosts(), f.objects(), key, m));
        boolean base = rows.stream().anyMatch(r -> BenchReport.BASE_ROWS.containsKey(r.key()));
        return new FleetRun(f.hosts(), f.objects(), f.loadSeconds(), f.archiveBytes(), rows, true, f.objectsChecked(), base ? f.objects() : null);
    }

    @Test
    void ratiosCompareWithTheBaselinesOfTheSameFleet() {
        BenchReport r = BenchReport.of(MACHINE, List.of(fleet(1000, 13300, 8.0, 29260L)), null);
        BenchReport.SizeRatios x = r.ratios().get(0);
        assertEquals(1.5, x.exportTimeVsKubectlList(), 1e-9);
        assertEquals(1.2, x.exportToS3TimeVsFile(), 1e-9);
        assertEquals(1.0, x.exportToS3PeakRssVsFile(), 1e-9);
        assertEquals(0.25, x.importSpeedVsParallelCeiling(), 1e-9, "ceiling 2 ms/object, import 8 ms/object");
        assertEquals(0.5, x.importSpeedVsSequential(), 1e-9);
        assertEquals(2.2, r.fleets().get(0).row("import").requestsPerObject(), 1e-9);
        assertNull(r.scaling(), "one size: nothing to scale against");
        String md = r.markdown();
        assertTrue(md.contains("| 1000 | 13300 | " + BenchReport.ROWS.get("import") + " | 106.4 | 125 | 292 | 2.20 |"), md);
        assertTrue(md.contains("| 1000 | 13300 | " + BenchReport.ROWS.get("validate-signed") + " | 10.6 | 1250 | 292 |  | 2.00 |"),
                "an offline command has no request count, not n/a: " + md);
        assertTrue(md.contains("| 1000 | 1.50x | 1.20x, 1.00x | 0.25x | 0.50x | equal (13300 objects checked) |"), md);
        assertTrue(md.contains("Scaling: n/a"), md);
        assertTrue(md.contains("1000 hosts: fleet loaded by the harness (not pivotctl) in 10.0 s (1330 objects/s); archive 9.3 MB"), md);
        assertTrue(md.startsWith("Machine: Test CPU, 2 cores, 4.0 GiB RAM, Java 17, kube-apiserver"), md);
    }

    @Test
    void requestsPerObjectIsNaWhenPivotctlPrintsNoCount() {
        BenchReport r = BenchReport.of(MACHINE, List.of(fleet(100, 1330, 8.0, null)), null);
        Row imp = r.fleets().get(0).row("import");
        assertNull(imp.apiRequests());
        assertNull(imp.requestsPerObject());
        assertTrue(r.markdown().contains("| 100 | 1330 | " + BenchReport.ROWS.get("import") + " | 10.6 | 125 | 292 | n/a |"),
                r.markdown());
        JsonNode json = Json.MAPPER.valueToTree(r);
        assertTrue(json.path("fleets").path(0).path("rows").path(List.copyOf(BenchReport.ROWS.keySet()).indexOf("import")).path("requestsPerObject").isNull(), json.toString());
        assertTrue(json.path("scaling").isNull());
    }

    @Test
    void scalingIsTimePerObjectAtTheLargestFleetOverTheSmallest() {
        // import takes 8 ms/object at 1000 hosts and 10 ms/object at 5000: 1.25x; the others grow linearly
        BenchReport r = BenchReport.of(MACHINE, List.of(fleet(1000, 13300, 8.0, null), fleet(5000, 66500, 10.0, null)), null);
        assertEquals(1000, r.scaling().fromHosts());
        assertEquals(5000, r.scaling().toHosts());
        assertEquals(1.25, r.scaling().timePerObjectGrowth().get("import"), 1e-9);
        assertEquals(1.0, r.scaling().timePerObjectGrowth().get("export"), 1e-9);
        assertEquals(1.0, r.scaling().timePerObjectGrowth().get("verify"), 1e-9);
        assertTrue(r.markdown().contains("Scaling, time per object at 5000 hosts ÷ at 1000 hosts (1.00x = linear): export 1.00x, import 1.25x, verify 1.00x"),
                r.markdown());
        JsonNode json = Json.MAPPER.valueToTree(r);
        assertEquals(1.25, json.path("scaling").path("timePerObjectGrowth").path("import").asDouble(), 1e-9);
        assertEquals(2, json.path("ratios").size());
        assertEquals("Test CPU", json.path("machine").path("cpu").asText());
    }

    @Test
    void aFailureIsReportedWithWhatWasMeasuredBeforeIt() {
        BenchReport r = BenchReport.of(MACHINE, List.of(fleet(1000, 13300, 8.0, null)), "N=5000: import failed (exit 1)");
        assertTrue(r.markdown().contains("FAILED: N=5000: import failed (exit 1)"), r.markdown());
        assertEquals(1, r.fleets().size());
    }

    @Test
    void stderrFactsTakeTheLastCountAndThePeakRss() throws Exception {
        String stderr = String.join("\n", "[api] GET /api/v1/namespaces/metal3/secrets: 200 (3 ms)",
                "api requests: 12 (GET 12, POST 0, PUT 0, PATCH 0, DELETE 0; dry-run 0)",
                "api requests: 29260 (GET 40, POST 26600, PUT 2000, PATCH 620, DELETE 0; dry-run 13300)",
                "\tMaximum resident set size (kbytes): 391234", "\tExit status: 0");
        Measured.StderrFacts f = Measured.StderrFacts.read(new StringReader(stderr));
        assertEquals(29260L, f.apiRequests());
        assertEquals(391234L, f.peakRssKb());
        Measured.StderrFacts none = Measured.StderrFacts.read(new StringReader("[api] GET /apis: 200 (1 ms)\n"));
        assertNull(none.apiRequests());
        assertNull(none.peakRssKb());
    }

    @Test
    void verifyMustReportNoDifference() throws Exception {
        Bench.requireEqual(Json.MAPPER.readTree("{\"objectsChecked\": 266, \"differences\": []}"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Bench.requireEqual(Json.MAPPER.readTree(
                "{\"objectsChecked\": 266, \"differences\": [{\"object\": \"metal3/BareMetalHost/h1\", \"kind\": \"missing\"}]}")));
        assertTrue(e.getMessage().contains("1 difference(s)") && e.getMessage().contains("h1"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Bench.requireEqual(Json.MAPPER.readTree("{\"objectsChecked\": 0, \"differences\": []}")));
        assertThrows(IllegalStateException.class, () -> Bench.requireEqual(Json.MAPPER.readTree("{\"objectsChecked\": 266}")));
    }

    @Test
    void cpuSecondsAreReadFromTimeAndGivenPerThousandObjects() throws Exception {
        String stderr = "api requests: 3 (GET 3)\n\tUser time (seconds): 12.50\n\tSystem time (seconds): 1.25\n"
                + "\tMaximum resident set size (kbytes): 204800\n";
        Measured.StderrFacts facts = Measured.StderrFacts.read(new java.io.StringReader(stderr));
        assertEquals(13.75, facts.cpuSeconds(), 1e-9);
        Row row = Row.of(1000, 13300, "import", new Measured(40, facts.peakRssKb(), facts.apiRequests(), facts.cpuSeconds()));
        assertEquals(13.75 * 1000 / 13300, row.cpuSecondsPer1000Objects(), 1e-9);
        assertEquals(null, Measured.StderrFacts.read(new java.io.StringReader("no time here\n")).cpuSeconds(), "absent, not zero");
        String table = BenchReport.of(MACHINE, List.of(fleet(1000, 13300, 8.0, 29260L)), null).markdown();
        assertTrue(table.contains("| CPU s / 1000 objects |") && table.contains("| 2.00 |"), table);
    }

    @Test
    void thePivotWindowGivesTheTotalAndEachStepsShare() {
        Map<String, Double> steps = new java.util.LinkedHashMap<>();
        steps.put("export --pause", 30.0);
        steps.put("validate", 10.0);
        steps.put("import", 120.0);
        steps.put("verify", 20.0);
        steps.put("release-source --yes", 60.0);
        BenchReport.PivotWindow p = new BenchReport.PivotWindow(1000, 13300, true, steps);
        assertEquals(240.0, p.totalSeconds(), 1e-9);
        assertEquals("| 1000 | 13300 | 4.0 min | 30.0 s (13%) | 10.0 s (4%) | 120.0 s (50%) | 20.0 s (8%) | 60.0 s (25%) | on |", p.markdownRow());
        String table = BenchReport.of(MACHINE, List.of(fleet(1000, 13300, 8.0, 29260L)), List.of(p), null).markdown();
        assertTrue(table.contains("| hosts | objects | total | export --pause | validate | import | verify | release-source --yes | garbage collector |"), table);
        assertTrue(table.contains(p.markdownRow()), table);
    }

    @Test
    void everyIssue20RowUnder450MegabytesIsAStatementComputedFromTheRows() {
        FleetRun f = with(fleet(5000, 66500, 8.0, null), "export", new Measured(60, 600L * 1024, null, 100.0)); // not an issue-20 row
        BenchReport r = BenchReport.of(MACHINE, List.of(f), null);
        RssLimit limit = r.rssLimits().get(0);
        assertTrue(limit.underLimit(), limit.toString());
        assertEquals("export-signed", limit.highestRow(), "the first of the rows at the highest peak");
        assertTrue(r.markdown().contains("- 5000 hosts: every issue-20 row (export-signed, export-signed-s3, validate-signed, import, backups-list,"
                + " backups-list-s3, inspect-s3) stayed under 450 MB peak RSS: yes (highest export-signed, 292 MB)"), r.markdown());

        FleetRun over = with(with(f, "import", new Measured(600, 450L * 1024, null, 100.0)), "inspect-s3", new Measured(2, null, null, null));
        over = with(over, "backups-list", new Measured(2, 449L * 1024 + 1023, null, 1.0));
        BenchReport bad = BenchReport.of(MACHINE, List.of(over), null);
        RssLimit no = bad.rssLimits().get(0);
        assertEquals(false, no.underLimit());
        assertEquals(List.of("import 450 MB", "inspect-s3 not measured"), no.failing(), "450 MB is not under 450 MB; 449.99 MB is");
        assertTrue(bad.markdown().contains("stayed under 450 MB peak RSS: NO (import 450 MB, inspect-s3 not measured)"), bad.markdown());
        JsonNode json = Json.MAPPER.valueToTree(bad);
        assertEquals(false, json.path("rssLimits").path(0).path("underLimit").asBoolean(true));
        assertEquals(450, json.path("rssLimits").path(0).path("limitMb").asInt());
    }

    @Test
    void aBaseJarAddsTheCpuChangePerCommand() {
        FleetRun f = fleet(1000, 13300, 8.0, 29260L);
        f = with(f, "import", new Measured(100, 300_000L, 29260L, 7.0 * 13.3));
        f = with(f, "base-import", new Measured(120, 310_000L, 33712L, 10.0 * 13.3));
        f = with(f, "base-export", new Measured(20, 300_000L, 10L, 2.0 * 13.3));
        f = with(f, "base-verify", new Measured(10, 300_000L, 10L, 4.0 * 13.3));
        BenchReport r = BenchReport.of(MACHINE, List.of(f), List.of(), "pivotctl-8d87dad.jar", null);
        List<CpuVsBase> cpu = r.base().cpu();
        assertEquals(List.of("export", "import", "verify"), cpu.stream().map(CpuVsBase::command).toList());
        assertEquals(-30.0, cpu.get(1).changePercent(), 1e-9, "7 s instead of 10 s per 1000 objects");
        assertEquals(0.0, cpu.get(0).changePercent(), 1e-9, "both 2 s per 1000 objects");
        assertEquals(-50.0, cpu.get(2).changePercent(), 1e-9, "2 s instead of 4 s per 1000 objects");
        String md = r.markdown();
        assertTrue(md.contains("Client CPU, base jar `pivotctl-8d87dad.jar` vs current"), md);
        assertTrue(md.contains("| 1000 | import | 10.00 | 7.00 | -30.0% |"), md);
        assertTrue(md.contains("| 1000 | export | 2.00 | 2.00 | +0.0% |"), md);
        assertTrue(md.contains("| 1000 | 13300 | " + BenchReport.BASE_ROWS.get("base-import") + " | 120.0 | 111 | 302 | 2.53 | 10.00 |"), md);
        assertTrue(md.contains("1000 hosts: the base jar's verify found its target equal (13300 objects checked)"), md);
        assertEquals(25.0, CpuVsBase.of(1000, "export", 2.0, 2.5).changePercent(), 1e-9, "more CPU is a positive change");
        JsonNode json = Json.MAPPER.valueToTree(r);
        assertEquals(-30.0, json.path("base").path("cpu").path(1).path("changePercent").asDouble(), 1e-9);

        BenchReport none = BenchReport.of(MACHINE, List.of(fleet(1000, 13300, 8.0, 29260L)), List.of(), null, null);
        assertNull(none.base());
        assertTrue(!none.markdown().contains("Client CPU, base jar"), none.markdown());
    }
}

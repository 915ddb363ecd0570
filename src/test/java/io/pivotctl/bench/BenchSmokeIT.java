package io.pivotctl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.bench.BenchReport.FleetRun;
import io.pivotctl.bench.BenchReport.Row;
import io.pivotctl.testing.TestApiServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness end to end at N=20 (scripts/bench.sh runs e.g. 1000 and 5000): fresh servers, the fleet loaded
 * cluster by cluster, every row measured, verify finding the target equal, the report. No timing is asserted: machines
 * vary; what must hold is that each measured run worked on the same data.
 */
class BenchSmokeIT {

    /**
     * The current jar also plays the base jar: building another commit here would take minutes, and what is tested is
     * the comparison path (a second target, the base rows, verify on it, the CPU table), not the figures.
     */
    @Test
    void harnessMeasuresEveryRowAtSmallN() throws Exception {
        TestApiServer.requireBinaries();
        Path jar = Path.of(System.getProperty("pivotctl.jar", "target/pivotctl.jar"));
        FleetRun run = Bench.run(jar, jar, 20);
        List<String> keys = run.rows().stream().map(Row::key).toList();
        assertEquals(List.copyOf(BenchReport.ROWS.keySet()), keys.stream().filter(BenchReport.ROWS::containsKey).toList(), "every row, in order: " + keys);
        assertEquals(BenchReport.BASE_ROWS.keySet(), Set.copyOf(keys.stream().filter(k -> !BenchReport.ROWS.containsKey(k)).toList()), keys.toString());
        int objects = run.objects();
        assertTrue(objects > 20 * 10, "about 13 objects per host: " + objects);
        assertTrue(run.archiveBytes() > 0, "the export's size");
        assertTrue(run.targetEqual(), "verify found the target equal after the import");
        assertTrue(run.objectsChecked() >= objects, "verify checked the whole fleet: " + run.objectsChecked() + " of " + objects);
        assertTrue(run.baseObjectsChecked() != null && run.baseObjectsChecked() >= objects, "the base jar's verify of its own target: " + run);
        for (Row r : run.rows()) {
            assertEquals(20, r.hosts());
            assertEquals(objects, r.objects(), "every row measured the same fleet");
            assertTrue(r.seconds() > 0 && r.objectsPerSecond() > 0, r.toString());
            if (List.of("kubectl-list", "sequential", "parallel").contains(r.key())) {
                assertNull(r.peakRssKb(), "baselines have no peak RSS of pivotctl: " + r);
                continue;
            }
            assertNotNull(r.peakRssKb(), "peak RSS read from /usr/bin/time -v: " + r);
            assertTrue(r.peakRssKb() > 10_000, r.toString());
            assertNotNull(r.cpuSecondsPer1000Objects(), "CPU read from /usr/bin/time -v: " + r);
            if (r.apiRequests() != null) { // pivotctl counts its requests with -v (issue 15); before that, "n/a"
                assertTrue(r.requestsPerObject() > 0.0 && r.apiRequests() > 0, r.toString());
            }
        }
        assertNotNull(run.row("import").apiRequests(), "the signed import sent its requests: " + run.row("import"));
        BenchReport report = BenchReport.of(Machine.describe(), List.of(run), List.of(), jar.getFileName().toString(), null);
        String table = report.markdown();
        assertTrue(table.contains("| 20 | " + objects + " | pivotctl verify"), table);
        assertTrue(table.contains("| 20 | " + objects + " | pivotctl export to S3"), table);
        assertTrue(table.contains("| 20 | " + objects + " | " + BenchReport.ROWS.get("inspect-s3")), table);
        assertTrue(table.contains("import ÷ parallel ceiling (speed)"), table);
        assertTrue(table.contains("| equal (" + run.objectsChecked() + " objects checked) |"), table);
        RssLimit limit = report.rssLimits().get(0);
        assertTrue(limit.failing().stream().noneMatch(f -> f.endsWith("not measured")), "every issue-20 row has its peak RSS: " + limit);
        assertTrue(table.contains(limit.sentence()), table);
        assertEquals(List.of("export", "import", "verify"), report.base().cpu().stream().map(CpuVsBase::command).toList(), table);
        assertTrue(table.contains("| 20 | import | "), table);
    }

    @Test
    void thePivotWindowTimesEveryStepOfTheRunbook() throws Exception {
        TestApiServer.requireBinaries();
        BenchReport.PivotWindow p = Bench.pivotWindow(Path.of(System.getProperty("pivotctl.jar", "target/pivotctl.jar")), 5);
        assertEquals(BenchReport.PivotWindow.STEPS, List.copyOf(p.stepSeconds().keySet()), "every step, in the runbook's order");
        p.stepSeconds().forEach((step, seconds) -> assertTrue(seconds > 0, step + " took " + seconds));
        assertTrue(p.objects() > 5 * 10, "the fleet: " + p.objects());
    }
}

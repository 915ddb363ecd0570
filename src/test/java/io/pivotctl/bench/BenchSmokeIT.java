package io.pivotctl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.testing.TestApiServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness end to end at N=20 (scripts/bench.sh runs N=100 and 1000): fresh servers, fleet, every
 * measurement, the table. No timing is asserted: CI machines vary; what must hold is that each measured run
 * worked on the same data.
 */
class BenchSmokeIT {

    @Test
    void harnessMeasuresEveryRowAtSmallN() throws Exception {
        TestApiServer.requireBinaries();
        List<Bench.Row> rows = Bench.run(Path.of(System.getProperty("pivotctl.jar", "target/pivotctl.jar")), 20);
        assertEquals(6, rows.size(), rows.toString());
        int objects = rows.get(0).objects();
        assertTrue(objects > 20 * 10, "about 13 objects per host: " + objects);
        for (Bench.Row r : rows) {
            assertEquals(20, r.hosts());
            assertEquals(objects, r.objects(), "every row measured the same fleet");
            assertTrue(r.seconds() > 0 && r.objectsPerSecond() > 0, r.toString());
            if (r.what().startsWith("pivotctl")) {
                assertNotNull(r.peakRssKb(), "peak RSS read from /usr/bin/time -v: " + r);
                assertTrue(r.peakRssKb() > 10_000, r.toString());
            }
        }
        String table = Bench.markdown(rows);
        assertTrue(table.contains("| 20 | " + objects + " | pivotctl import"), table);
        assertTrue(table.contains("import speed-up vs sequential"), table);
        assertTrue(table.contains("| 20 | " + objects + " | pivotctl export-to-S3"), table);
    }
}

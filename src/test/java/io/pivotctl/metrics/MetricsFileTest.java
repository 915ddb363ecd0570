package io.pivotctl.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsFileTest {

    @TempDir
    Path dir;

    @Test
    void aFailedRunKeepsTheLastSuccessTimeAndReportsTheFailure() throws Exception {
        Path f = dir.resolve("pivotctl.prom");
        MetricsFile.write(f, new MetricsFile.Run("export", true, 1_700_000_000_000L, 12_500, 120, 40, 2048));
        String ok = Files.readString(f);
        assertTrue(ok.contains("pivotctl_last_success_timestamp_seconds{command=\"export\"} 1700000012.500\n"), ok);
        assertTrue(ok.contains("pivotctl_last_run_success{command=\"export\"} 1\n"), ok);
        assertTrue(ok.contains("pivotctl_last_run_objects{command=\"export\"} 120\n"), ok);
        assertTrue(ok.contains("pivotctl_last_run_secrets{command=\"export\"} 40\n"), ok);
        assertTrue(ok.contains("pivotctl_last_run_bytes{command=\"export\"} 2048\n"), ok);
        assertTrue(ok.contains("# TYPE pivotctl_last_run_duration_seconds gauge\npivotctl_last_run_duration_seconds{command=\"export\"} 12.500\n"), ok);

        MetricsFile.write(f, new MetricsFile.Run("export", false, 1_700_086_400_000L, 1_000, 0, 0, 0));
        String failed = Files.readString(f);
        assertTrue(failed.contains("pivotctl_last_success_timestamp_seconds{command=\"export\"} 1700000012.500\n"), failed);
        assertTrue(failed.contains("pivotctl_last_run_success{command=\"export\"} 0\n"), failed);
        assertTrue(failed.contains("pivotctl_last_run_timestamp_seconds{command=\"export\"} 1700086401\n"), failed);
        assertEquals(List.of("pivotctl.prom"), Files.list(dir).map(p -> p.getFileName().toString()).toList(), "no temp file left");
    }

    @Test
    void aFirstRunThatFailsReportsNoSuccessYet() throws Exception {
        Path f = dir.resolve("m.prom");
        MetricsFile.write(f, new MetricsFile.Run("backups_prune", false, 1_700_000_000_000L, 10, 0, 0, 0));
        assertTrue(Files.readString(f).contains("pivotctl_last_success_timestamp_seconds{command=\"backups_prune\"} 0\n"));
    }
}

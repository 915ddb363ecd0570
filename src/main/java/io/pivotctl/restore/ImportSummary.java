package io.pivotctl.restore;

import java.util.List;
import java.util.Map;

/** What an import did (or, for --dry-run, would do). */
public record ImportSummary(String archiveId, boolean dryRun, PreflightResult preflight, Map<String, Integer> created,
        Map<String, Integer> skipped, Map<String, Integer> updated, boolean leasesRestored, List<String> warnings, long millis) {

    public ImportSummary {
        created = Map.copyOf(created);
        skipped = Map.copyOf(skipped);
        updated = Map.copyOf(updated);
        warnings = List.copyOf(warnings);
    }

    public int createdCount() {
        return created.values().stream().mapToInt(Integer::intValue).sum();
    }

    public double objectsPerSecond() {
        return millis == 0 ? 0 : createdCount() * 1000.0 / millis;
    }
}

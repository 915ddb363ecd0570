package io.pivotctl.restore;

import java.util.List;
import java.util.Map;

/** What an import did (or, for --dry-run, would do; for --rollback, undid: {@code rolledBack}). */
public record ImportSummary(String archiveId, boolean dryRun, PreflightResult preflight, Map<String, Integer> created,
        Map<String, Integer> skipped, Map<String, Integer> updated, boolean leasesRestored, List<String> warnings, long millis,
        List<String> rolledBack) {

    public ImportSummary(String archiveId, boolean dryRun, PreflightResult preflight, Map<String, Integer> created,
            Map<String, Integer> skipped, Map<String, Integer> updated, boolean leasesRestored, List<String> warnings, long millis) {
        this(archiveId, dryRun, preflight, created, skipped, updated, leasesRestored, warnings, millis, null);
    }

    static ImportSummary dryRun(String archiveId, PreflightResult plan, long millis) {
        return new ImportSummary(archiveId, true, plan, Map.of(), Map.of(), Map.of(), false, List.of(), millis);
    }

    static ImportSummary rolledBack(String archiveId, List<String> undone, long millis) {
        return new ImportSummary(archiveId, false, null, Map.of(), Map.of(), Map.of(), false, List.of(), millis, undone);
    }

    public ImportSummary {
        created = Map.copyOf(created);
        skipped = Map.copyOf(skipped);
        updated = Map.copyOf(updated);
        warnings = List.copyOf(warnings);
        rolledBack = rolledBack == null ? null : List.copyOf(rolledBack);
    }

    public int createdCount() {
        return created.values().stream().mapToInt(Integer::intValue).sum();
    }

    public double objectsPerSecond() {
        return millis == 0 ? 0 : createdCount() * 1000.0 / millis;
    }
}

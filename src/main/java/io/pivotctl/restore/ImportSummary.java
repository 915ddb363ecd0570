package io.pivotctl.restore;

import java.util.List;
import java.util.Map;

/**
 * What an import did (IMPORTED), would do (DRY_RUN, {@code preflight} holds the plan), or undid (ROLLED_BACK,
 * {@code lines} holds one line per change undone). For IMPORTED, {@code lines} holds the warnings.
 */
public record ImportSummary(String archiveId, Kind kind, PreflightResult preflight, Counts counts, List<String> lines, long millis) {

    public enum Kind { IMPORTED, DRY_RUN, ROLLED_BACK }

    /** Objects per kind created, skipped (existing) and updated; whether the leases ConfigMap was written. */
    public record Counts(Map<String, Integer> created, Map<String, Integer> skipped, Map<String, Integer> updated, boolean leasesRestored) {
        static final Counts NONE = new Counts(Map.of(), Map.of(), Map.of(), false);

        public Counts {
            created = Map.copyOf(created);
            skipped = Map.copyOf(skipped);
            updated = Map.copyOf(updated);
        }
    }

    public ImportSummary {
        lines = List.copyOf(lines);
    }

    static ImportSummary imported(String archiveId, PreflightResult plan, Counts counts, List<String> warnings) {
        return new ImportSummary(archiveId, Kind.IMPORTED, plan, counts, warnings, 0);
    }

    static ImportSummary dryRun(String archiveId, PreflightResult plan) {
        return new ImportSummary(archiveId, Kind.DRY_RUN, plan, Counts.NONE, List.of(), 0);
    }

    static ImportSummary rolledBack(String archiveId, List<String> undone) {
        return new ImportSummary(archiveId, Kind.ROLLED_BACK, null, Counts.NONE, undone, 0);
    }

    /** The same summary, with the time the run took. */
    ImportSummary took(long runMillis) {
        return new ImportSummary(archiveId, kind, preflight, counts, lines, runMillis);
    }

    public int createdCount() {
        return counts.created().values().stream().mapToInt(Integer::intValue).sum();
    }

    public double objectsPerSecond() {
        return millis == 0 ? 0 : createdCount() * 1000.0 / millis;
    }
}

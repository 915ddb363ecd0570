package io.pivotctl.restore;

import io.pivotctl.graph.ObjectId;
import java.util.List;
import java.util.Set;

/**
 * The plan (objects by level) and everything preflight found; {@code problems} non-empty means nothing may be written.
 * {@code adopted}: on --resume, objects the interrupted run created without hearing back (they carry its run label).
 * {@code dryRuns}: how many creates preflight dry-ran and skipped ({@link DryRuns}).
 */
public record PreflightResult(List<List<PlannedObject>> levels, Set<String> missingNamespaces,
        List<String> problems, List<String> notes, int conflicts, Set<ObjectId> adopted, DryRuns.Tally dryRuns) {

    public PreflightResult {
        levels = levels.stream().map(List::copyOf).toList();
        missingNamespaces = Set.copyOf(missingNamespaces);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
        adopted = Set.copyOf(adopted);
    }

    public int objectCount() {
        return levels.stream().mapToInt(List::size).sum();
    }
}

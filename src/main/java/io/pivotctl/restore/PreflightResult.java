package io.pivotctl.restore;

import java.util.List;
import java.util.Set;

/** The plan (objects by level) and everything preflight found; {@code problems} non-empty means nothing may be written. */
public record PreflightResult(List<List<PlannedObject>> levels, Set<String> missingNamespaces,
        List<String> problems, List<String> notes, int conflicts) {

    public PreflightResult {
        levels = levels.stream().map(List::copyOf).toList();
        missingNamespaces = Set.copyOf(missingNamespaces);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    public int objectCount() {
        return levels.stream().mapToInt(List::size).sum();
    }
}

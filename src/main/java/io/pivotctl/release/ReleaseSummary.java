package io.pivotctl.release;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of release-source. With {@code executed} false it is the plan: {@code steps} say what a run with
 * --yes would do, and nothing was written. {@code leftAlone} are the objects reported and not touched.
 */
public record ReleaseSummary(String archiveId, String source, boolean executed, List<ReleaseStep> steps, int hostsDetached,
        int deleted, int alreadyGone, List<ReleaseStep> leftAlone, Path journal) {

    public ReleaseSummary {
        steps = List.copyOf(steps);
        leftAlone = List.copyOf(leftAlone);
    }

    public long count(ReleaseStep.Action action) {
        return steps.stream().filter(s -> s.action() == action).count();
    }
}

package io.pivotctl.verify;

import java.util.List;

/** The result of {@code pivotctl verify}: equal when there is no difference. */
public record VerifyReport(String archiveId, String target, int objectsChecked, int secretsChecked, boolean secretsSkipped,
        boolean leasesChecked, List<Difference> differences) {

    public VerifyReport {
        differences = List.copyOf(differences);
    }

    public boolean equal() {
        return differences.isEmpty();
    }
}

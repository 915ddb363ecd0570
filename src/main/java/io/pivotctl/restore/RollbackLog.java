package io.pivotctl.restore;

import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ResourceApi;
import java.util.ArrayList;
import java.util.List;

/**
 * What a rollback did so far, shared by its steps: what was undone, left alone (not this run's, or changed since), and
 * what could not be undone; and whether the server stopped answering (then the remaining changes are listed, not tried
 * one by one for minutes).
 */
final class RollbackLog {

    private final ResourceApi api;
    private final List<String> undone = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> leftAlone = new ArrayList<>();
    private boolean unreachable;

    RollbackLog(ResourceApi api) {
        this.api = api;
    }

    void undone(String line) {
        undone.add(line);
    }

    void leftAlone(String line) {
        leftAlone.add(line);
    }

    void failed(String line) {
        failures.add(line);
    }

    /** A call that failed: said in one line naming verb and object; an unreachable server stops the attempts that follow. */
    void failed(RuntimeException e, String verb, String what) {
        unreachable |= ApiErrors.isUnreachable(e);
        failures.add(ApiErrors.describe(e, verb, what, api.server()).getMessage());
    }

    /** True (and the change listed as not attempted) once the server stopped answering. */
    boolean skipUnreachable(String change) {
        if (unreachable) {
            failures.add("not attempted (API server unreachable): " + change);
        }
        return unreachable;
    }

    Rollback.Report report() {
        return new Rollback.Report(List.copyOf(undone), List.copyOf(failures), List.copyOf(leftAlone));
    }
}

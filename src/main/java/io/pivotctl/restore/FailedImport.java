package io.pivotctl.restore;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ResourceApi;
import java.util.ArrayList;
import java.util.List;

/**
 * An import that failed or was cancelled before every level was in place: it rolls back what the run wrote, through the
 * rollback epilogue import --rollback uses too ({@link JournalUndo}), or with --no-rollback keeps it and the journal for
 * --resume. Either way the exception it returns says in one line what happened and what to run next.
 */
final class FailedImport {

    /** How long a rollback waits for an API server that went away mid-import. */
    static final int ROLLBACK_WAIT_SECONDS = 120;

    private final ImportJob job;
    private final ImportTarget target;
    private final ImportRun run;

    FailedImport(ImportJob job, ImportTarget target, ImportRun run) {
        this.job = job;
        this.target = target;
        this.run = run;
    }

    /** Rolls back (or keeps) what the run wrote; returns the exception to throw. */
    PivotctlException handle(RuntimeException failure) {
        String why = reason(failure, target, job);
        boolean preflightFailed = failure instanceof Preflight.Failed;
        boolean wroteNothing = run.journal().records().stream().allMatch(r -> r.op() == Journal.Op.BEGIN || r.op() == Journal.Op.OPEN);
        if (wroteNothing && !run.resumes()) {
            run.journal().delete();
            return preflightFailed ? (Preflight.Failed) failure : PivotctlException.failed("import failed: " + why + "; nothing was changed on the target");
        }
        // a resumed run's preflight failed: what the interrupted run wrote stays, for --resume once the target is fixed
        if (job.req().onFailure() == ImportRequest.OnFailure.KEEP || (preflightFailed && run.resumes())) {
            run.journal().close();
            return preflightFailed ? (Preflight.Failed) failure : PivotctlException.failed("import failed: " + why
                    + "; --no-rollback: what was created stays, journal kept at " + run.journal().path() + "; run again with --resume to finish");
        }
        job.progress().phase((preflightFailed ? "preflight failed" : "import failed (" + why + ")") + ": rolling back");
        awaitServer();
        Rollback.Report report = new JournalUndo(target, job.namespacesWritten()).undo(run.journal(), run.types(), run.previous());
        if (preflightFailed && report.failures().isEmpty()) {
            List<String> details = new ArrayList<>(((Preflight.Failed) failure).details());
            details.addAll(report.details());
            return new PivotctlException(Outcome.INVALID, failure.getMessage().replace("nothing was changed on the target",
                    "what was installed before it (" + report.undone().size() + " change(s)) was rolled back"), details);
        }
        return new PivotctlException(Outcome.FAILED, "import failed: " + why + "; " + outcome(report), report.details());
    }

    private void awaitServer() {
        ResourceApi api = target.api();
        if (!api.awaitReachable(0)) {
            job.progress().phase("the API server does not answer: waiting up to " + ROLLBACK_WAIT_SECONDS + "s for it to come back to roll back");
            api.awaitReachable(ROLLBACK_WAIT_SECONDS * 1000L);
        }
    }

    private String outcome(Rollback.Report report) {
        return "rolled back " + report.undone().size() + " change(s)" + (report.leftAlone().isEmpty() ? ""
                : ", left " + report.leftAlone().size() + " object(s) alone that this import did not create")
                + (report.failures().isEmpty() ? "" : ", " + report.failures().size() + " could NOT be rolled back (journal kept at "
                        + run.journal().path() + "): run 'pivotctl import " + job.req().archive() + " --rollback' once the server answers");
    }

    /** One line for what went wrong: pivotctl's own message, or the API error described with the server. */
    static String reason(RuntimeException failure, ImportTarget target, ImportJob job) {
        if (failure instanceof PivotctlException pe) {
            return pe.getMessage();
        }
        if (failure instanceof Cancellation.CancelledException) {
            return failure.getMessage();
        }
        return ApiErrors.describe(failure, "import", "archive " + job.archiveId(), target.api().server()).getMessage();
    }
}

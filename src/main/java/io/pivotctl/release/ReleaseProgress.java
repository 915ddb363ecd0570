package io.pivotctl.release;

import io.pivotctl.verify.VerifyReport;

/** What release-source reports while it works; the command prints it, the service never does. */
public interface ReleaseProgress {

    ReleaseProgress NONE = new ReleaseProgress() {
    };

    default void verified(VerifyReport report) {
    }

    /** One write done (or found unnecessary): "detached", "deleted", ... */
    default void step(String what, ReleaseStep step) {
    }

    /** Waiting for BMO: {@code detached} of {@code total} hosts report operationalStatus detached after {@code elapsedSeconds}. */
    default void waiting(int detached, int total, long elapsedSeconds, long timeoutSeconds) {
    }

    /** The source stopped answering: {@code what} failed; the run waits up to {@code waitSeconds} for it, then goes on. */
    default void sourceUnreachable(String what, long waitSeconds) {
    }

    /** Waiting for the garbage collector to finish the orphaning deletes: {@code gone} of {@code total} objects are gone. */
    default void orphaning(int gone, int total, long elapsedSeconds) {
    }

    /** Deleted objects still Terminating when the wait for the garbage collector ended. */
    default void stillTerminating(java.util.List<ReleaseStep> steps) {
    }

    /** An object found during the run not to be the archived one any more: reported and left alone. */
    default void leftAlone(ReleaseStep step) {
    }
}

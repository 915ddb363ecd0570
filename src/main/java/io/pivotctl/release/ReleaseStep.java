package io.pivotctl.release;

import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceType;

/**
 * What release-source does (or did) with one archived object. {@code reason} names fields and UIDs, never values.
 * Hosts, their BMC Secrets and HardwareData are in {@link Phase#HOSTS}; everything else follows, highest restore
 * level (dependents) first. {@code host} is the BareMetalHost a BMC Secret or HardwareData belongs to (else null).
 */
public record ReleaseStep(ObjectId id, ResourceType type, String uid, Phase phase, int level, Action action, String reason, ObjectId host) {

    public enum Phase { HOSTS, REST }

    public enum Action {
        /** A BareMetalHost: annotate detached (lifting pivotctl's pause), wait for BMO, then delete. */
        DETACH_DELETE,
        /** Remove finalizers, then delete (UID precondition). */
        DELETE,
        /** Not on the source any more (deleted by an earlier run, or by someone else). */
        GONE,
        /** Not ours to touch: another UID, changed since export, paused by someone else, still used, or its host is left alone. */
        LEFT_ALONE,
        /**
         * Export paused it and it is not paused by pivotctl any more (unpause, a person): its controllers may be acting
         * on it. The source is no longer as export left it, and {@code --yes} is refused.
         */
        NOT_PAUSED
    }

    ReleaseStep leftAlone(String why) {
        return as(Action.LEFT_ALONE, why);
    }

    ReleaseStep as(Action newAction, String why) {
        return new ReleaseStep(id, type, uid, phase, level, newAction, why, host);
    }

    /** Would be deleted (or detached and deleted). */
    boolean deletes() {
        return action == Action.DELETE || action == Action.DETACH_DELETE;
    }

    /** "detach+delete", "delete", "gone", "left alone": the plan's wording. */
    public String actionText() {
        return switch (action) {
            case DETACH_DELETE -> "detach+delete";
            case DELETE -> "delete";
            case GONE -> "gone";
            case LEFT_ALONE -> "LEFT ALONE";
            case NOT_PAUSED -> "NOT PAUSED";
        };
    }
}

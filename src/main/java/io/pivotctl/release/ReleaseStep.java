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
        /** Not ours to touch: another UID, changed since export, paused by someone else, or its host is left alone. */
        LEFT_ALONE
    }

    ReleaseStep leftAlone(String why) {
        return new ReleaseStep(id, type, uid, phase, level, Action.LEFT_ALONE, why, host);
    }

    /** "detach+delete", "delete", "gone", "left alone": the plan's wording. */
    public String actionText() {
        return switch (action) {
            case DETACH_DELETE -> "detach+delete";
            case DELETE -> "delete";
            case GONE -> "gone";
            case LEFT_ALONE -> "LEFT ALONE";
        };
    }
}

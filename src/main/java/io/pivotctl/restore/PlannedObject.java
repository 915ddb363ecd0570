package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceType;

/**
 * One archived object with where it goes on the target, its restore level, what exists there now and what that
 * existing object is to the import ({@link Presence#ABSENT} when nothing exists).
 */
public record PlannedObject(ArchivedObject archived, ResourceType type, int level, ObjectNode existing, Presence presence) {

    /** What an object that exists on the target is to this import. */
    public enum Presence {
        /** Nothing there: it is created. */
        ABSENT("will be created"),
        /** Another object of that name: --on-conflict decides. */
        CONFLICT("exists with another UID (conflict)"),
        /** Cluster-scoped, shared by everything on the target. */
        GLOBAL("exists, cluster-scoped and shared: used as it is"),
        /** Also part of a Cluster not being restored (import --cluster): used as it is. */
        SHARED("exists, shared with a Cluster not being restored: used as it is"),
        /** The archived object itself (same UID): a restore into the cluster the backup came from. */
        PRESENT("present (the archived UID)"),
        /** Created by the interrupted run this one resumes. */
        RESUMED("created by the interrupted run: resumed");

        private final String describe;

        Presence(String describe) {
            this.describe = describe;
        }

        public String describe() {
            return describe;
        }

        /** Used as it is: never updated, whatever --on-conflict says, and never removed by a rollback. */
        public boolean asIs() {
            return this == GLOBAL || this == SHARED || this == PRESENT;
        }
    }

    /** An object planned before the target was looked at. */
    public PlannedObject(ArchivedObject archived, ResourceType type, int level) {
        this(archived, type, level, null, Presence.ABSENT);
    }

    public ObjectId id() {
        return archived.id();
    }

    public boolean exists() {
        return existing != null;
    }

    public String oldUid() {
        return archived.uid();
    }

    @Override
    public String toString() {
        return "PlannedObject[" + id() + ", level " + level + "]";
    }
}

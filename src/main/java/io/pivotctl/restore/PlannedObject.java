package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceType;

/** One archived object with where it goes on the target, its restore level and what exists there now. */
public record PlannedObject(ArchivedObject archived, ResourceType type, int level, ObjectNode existing) {

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

package io.pivotctl.graph;

import java.util.Objects;

/**
 * {@code from} depends on {@code to}. {@code field} says where the link was read (e.g.
 * "metadata.ownerReferences", "spec.bmc.credentialsName"); {@code controller} is only meaningful
 * for {@link EdgeType#OWNER} edges.
 */
public record Edge(ObjectId from, ObjectId to, EdgeType type, boolean controller, String field) {

    public Edge {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(type, "type");
        field = field == null ? "" : field;
    }
}

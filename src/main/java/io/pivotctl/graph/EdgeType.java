package io.pivotctl.graph;

/** How one object depends on another: the four ways Metal3 links objects, plus naming conventions. */
public enum EdgeType {
    /** metadata.ownerReferences. */
    OWNER,
    /** A reference by name in spec (infrastructureRef, credentialsName, consumerRef, pool, ...). */
    REF,
    /** The Cluster API cluster-name label. */
    LABEL,
    /** An annotation naming another object (a Metal3Machine names its BareMetalHost). */
    ANNOTATION,
    /** A name convention (Secret "&lt;cluster&gt;-kubeconfig" belongs to Cluster "&lt;cluster&gt;"). */
    CONVENTION
}

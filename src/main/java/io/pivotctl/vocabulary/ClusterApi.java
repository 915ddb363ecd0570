package io.pivotctl.vocabulary;

import java.util.List;

/** Cluster API's and clusterctl's labels and annotations that pivotctl reads. */
public final class ClusterApi {

    /** On objects that belong to a Cluster: the Cluster's name (same namespace). */
    public static final String CLUSTER_NAME = "cluster.x-k8s.io/cluster-name";
    /** clusterctl's provider label: a CRD that carries it belongs to an installed provider. */
    public static final String PROVIDER = "clusterctl.cluster.x-k8s.io";
    /** On an object or a CRD: it (or every object of the kind) moves. */
    public static final String MOVE = "clusterctl.cluster.x-k8s.io/move";
    /** On an object or a CRD: it moves together with everything it owns. */
    public static final String MOVE_HIERARCHY = "clusterctl.cluster.x-k8s.io/move-hierarchy";
    /** The labels that make a CRD's kind one export follows: the provider label and both move labels. */
    public static final List<String> MOVE_LABELS = List.of(PROVIDER, MOVE, MOVE_HIERARCHY);
    /**
     * A provider's "not yet": a move waits until no object carries it (CAPM3 keeps it on claimed hosts until the
     * pause and status annotations are set).
     */
    public static final String BLOCK_MOVE = "clusterctl.cluster.x-k8s.io/block-move";

    private ClusterApi() {
    }
}

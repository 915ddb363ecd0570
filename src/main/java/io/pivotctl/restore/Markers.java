package io.pivotctl.restore;

/** Annotations and fields pivotctl sets on restored objects. */
public final class Markers {

    /** Set on each object once its create (and status restore) succeeded: "this object is in place". */
    public static final String RESTORED_FROM = "pivotctl.io/restored-from";
    public static final String BMH_PAUSED = "baremetalhost.metal3.io/paused";
    public static final String BMH_STATUS = "baremetalhost.metal3.io/status";
    public static final String PAUSED_BY = "pivotctl";

    private Markers() {
    }

    public static boolean isCluster(String group, String kind) {
        return "cluster.x-k8s.io".equals(group) && "Cluster".equals(kind);
    }

    public static boolean isHost(String group, String kind) {
        return "metal3.io".equals(group) && "BareMetalHost".equals(kind);
    }
}

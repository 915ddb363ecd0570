package io.pivotctl.vocabulary;

/** The Baremetal Operator's (BMO) BareMetalHost annotations, and the Metal3 words around them that pivotctl reads or writes. */
public final class Metal3 {

    /**
     * BMO does nothing for a host that carries it, whatever the value. CAPM3 writes {@code metal3.io/capm3}, people
     * anything; pivotctl writes {@link PivotctlMarks#PAUSED_BY_PIVOTCTL} and only ever lifts that value.
     */
    public static final String HOST_PAUSED = "baremetalhost.metal3.io/paused";
    /**
     * BMO removes the node from Ironic without deprovisioning it, then reports {@link #OPERATIONAL_DETACHED}; it acts
     * only on a host that is not paused.
     */
    public static final String HOST_DETACHED = "baremetalhost.metal3.io/detached";
    /**
     * The detach value release writes: should BMO still be running and see the host deleted while detached, it removes
     * it without deprovisioning (with "delay" it would wait for the annotation to go, holding the deletion).
     */
    public static final String DETACH_DELETE_ACTION = "{\"deleteAction\":\"delete\"}";
    /** What BMO reports in {@code status.operationalStatus} once the node is out of Ironic. */
    public static final String OPERATIONAL_DETACHED = "detached";
    /**
     * The host's status as JSON, which BMO takes over when {@code status.lastUpdated} is empty and the host is not
     * paused (import writes it with --bmh-status-annotation).
     */
    public static final String HOST_STATUS = "baremetalhost.metal3.io/status";
    /** CAPM3's annotation on a Metal3Machine: "namespace/name" of the BareMetalHost it runs on. */
    public static final String MACHINE_HOST = "metal3.io/BareMetalHost";
    /** Label of the bare-metal environment's Secrets (BMC credentials), valued {@link #ENVIRONMENT_BAREMETAL}. */
    public static final String ENVIRONMENT = "environment.metal3.io";
    public static final String ENVIRONMENT_BAREMETAL = "baremetal";

    private Metal3() {
    }
}

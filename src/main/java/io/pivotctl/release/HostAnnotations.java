package io.pivotctl.release;

import io.pivotctl.graph.HostPause;

/**
 * The BareMetalHost annotations the release and unpause steps read and write (docs/baremetalhost.md):
 * BMO does nothing for a paused host, whatever the value; pivotctl only ever lifts the value it set itself.
 */
public final class HostAnnotations {

    public static final String PAUSED = HostPause.ANNOTATION;
    /** The value {@code export --pause} writes; CAPM3 uses {@code metal3.io/capm3}, people anything else. */
    public static final String PAUSED_BY_PIVOTCTL = HostPause.BY_PIVOTCTL;
    public static final String DETACHED = "baremetalhost.metal3.io/detached";
    /**
     * "delete": should BMO still be running and see the host deleted while detached, it removes it without
     * deprovisioning (with "delay" it would wait for the annotation to go, holding the deletion).
     */
    public static final String DETACHED_VALUE = "{\"deleteAction\":\"delete\"}";
    /** What BMO reports in status.operationalStatus once the node is out of Ironic. */
    public static final String OPERATIONAL_DETACHED = "detached";

    private HostAnnotations() {
    }
}

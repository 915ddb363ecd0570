package io.pivotctl.graph;

/**
 * BMO's pause annotation on a BareMetalHost: BMO does nothing for a host that carries it, whatever the value.
 * CAPM3 writes {@code metal3.io/capm3}, people anything; pivotctl writes and only ever lifts its own value
 * (docs/baremetalhost.md).
 */
public final class HostPause {

    public static final String ANNOTATION = "baremetalhost.metal3.io/paused";
    public static final String BY_PIVOTCTL = "pivotctl";

    private HostPause() {
    }
}

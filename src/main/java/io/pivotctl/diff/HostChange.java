package io.pivotctl.diff;

/** A BareMetalHost in both archives whose provisioning state or Ironic node ID changed; null where a side has none. */
public record HostChange(String host, String field, String before, String after) {
}

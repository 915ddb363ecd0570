package io.pivotctl.diff;

/** A dnsmasq lease, by MAC (or IAID for IPv6): added, removed, or changed address or hostname ("ip hostname"; expiry ignored). */
public record LeaseChange(String mac, Change change, String before, String after) {
}

package io.pivotctl.leases;

/**
 * One dnsmasq lease line. IPv4: {@code expiry mac ip hostname client-id}; IPv6: {@code expiry iaid ip hostname duid}.
 * {@code hostname} and {@code clientId} are null where the file has "*". {@code line} is 1-based.
 */
public record Lease(long expiry, String macOrIaid, String ip, String hostname, String clientId, boolean ipv6, int line) {

    /** The MAC without a hardware-type prefix ("06-" / "20-"), lower case; null for IPv6 leases. */
    public String normalizedMac() {
        return ipv6 ? null : LeaseFile.normalizeMac(macOrIaid);
    }

    @Override
    public String toString() {
        return ip + " (" + macOrIaid + (hostname == null ? "" : ", " + hostname) + ", line " + line + ")";
    }
}

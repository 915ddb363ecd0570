package io.pivotctl.leases;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Matches leases to hosts by boot MAC (case-insensitive, ignoring a hardware-type prefix). */
public final class LeaseCrossCheck {

    private LeaseCrossCheck() {
    }

    /** {@code hostBootMacs}: host "namespace/name" to its spec.bootMACAddress. */
    public static LeaseReport check(LeaseFile file, Map<String, String> hostBootMacs) {
        Set<String> leaseMacs = new HashSet<>();
        file.leases().stream().filter(l -> !l.ipv6()).forEach(l -> leaseMacs.add(l.normalizedMac()));
        List<String> with = new ArrayList<>();
        List<String> without = new ArrayList<>();
        Set<String> hostMacs = new HashSet<>();
        for (Map.Entry<String, String> h : new TreeMap<>(hostBootMacs).entrySet()) {
            String mac = LeaseFile.normalizeMac(h.getValue());
            hostMacs.add(mac);
            (leaseMacs.contains(mac) ? with : without).add(h.getKey());
        }
        List<Lease> stale = file.leases().stream().filter(l -> !l.ipv6() && !hostMacs.contains(l.normalizedMac())).toList();
        return new LeaseReport(with, without, stale);
    }
}

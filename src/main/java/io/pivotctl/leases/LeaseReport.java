package io.pivotctl.leases;

import java.util.List;

/** Which hosts have a lease for their boot MAC, which do not, and which leases match no host. */
public record LeaseReport(List<String> hostsWithLease, List<String> hostsWithoutLease, List<Lease> staleLeases) {

    public LeaseReport {
        hostsWithLease = List.copyOf(hostsWithLease);
        hostsWithoutLease = List.copyOf(hostsWithoutLease);
        staleLeases = List.copyOf(staleLeases);
    }
}

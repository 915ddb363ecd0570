package io.pivotctl.export;

import io.pivotctl.graph.ObjectId;
import io.pivotctl.leases.LeaseCrossCheck;
import io.pivotctl.leases.LeaseFile;
import io.pivotctl.leases.LeaseReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The collected lease file parsed and cross-checked with the exported hosts' boot MACs. */
record LeaseSummary(int count, List<String> warnings) {

    static LeaseSummary of(byte[] raw, List<PackedObject> objects) {
        LeaseFile file = LeaseFile.parse(raw);
        List<String> warnings = new ArrayList<>();
        file.problems().forEach(p -> warnings.add("leases: " + p));
        Map<String, String> hostMacs = new TreeMap<>();
        for (PackedObject o : objects) {
            ObjectId id = o.id();
            String mac = o.bootMac();
            if ("metal3.io".equals(id.group()) && "BareMetalHost".equals(id.kind()) && mac != null) {
                hostMacs.put(id.namespace() + "/" + id.name(), mac);
            }
        }
        LeaseReport report = LeaseCrossCheck.check(file, hostMacs);
        report.hostsWithoutLease().forEach(h -> warnings.add("leases: host " + h + " has no lease for its boot MAC"));
        report.staleLeases().forEach(l -> warnings.add("leases: lease " + l + " matches no exported host"));
        return new LeaseSummary(file.leases().size(), warnings);
    }
}

package io.pivotctl.cli;

import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.Summary;
import io.pivotctl.storage.S3Archive;
import io.pivotctl.validate.ArchiveKeys;
import io.pivotctl.validate.ArchiveSummary;
import io.pivotctl.validate.ClassUse;
import io.pivotctl.validate.ArchiveValidation;
import io.pivotctl.validate.LoadedArchive;
import io.pivotctl.storage.ArchiveLocation;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show what an archive holds: format, source, time, objects per kind, clusters with their hosts and provisioning states,"
                + " leases and encryption recipients. Needs no key.")
final class InspectCommand extends PrintingCommand implements OptionCheck {

    @Mixin
    ArchiveArgument archive;

    @Mixin
    LeftOutOption leftOut;

    /** The previous release's spelling of --show-left-out; -v is the API-request trace everywhere else. */
    @Option(names = {"-v", "--verbose"}, hidden = true)
    boolean oldVerbose;

    @Option(names = "--full", description = "For an archive in object storage: download and check all of it, and list hosts with their states"
            + " (by default only its summary is read, with a ranged read of the object's beginning).")
    boolean full;

    @Override
    public List<String> deprecations() {
        return oldVerbose ? List.of("'inspect -v' is deprecated and goes away in the next release: write 'inspect --show-left-out'"
                + " (-v is the API-request trace)") : List.of();
    }

    @Override
    int run(Console console) {
        ArchiveLocation archive = this.archive.location;
        ArchiveSummary s;
        String note;
        if (archive instanceof S3Archive && !full) {
            s = ArchiveSummary.ofHead(archive.readHead());
            note = "  (summary only: entries not read; --full or pivotctl validate checks them)";
        } else {
            LoadedArchive loaded = ArchiveValidation.validate(archive, ArchiveKeys.NONE, ArchiveLimits.DEFAULT, console::warning);
            s = ArchiveSummary.of(loaded);
            note = loaded.report().valid() ? "" : "  (INVALID: run pivotctl validate)";
        }
        format.print(console, () -> s, () -> printTable(console, archive + note, s));
        return 0;
    }

    /** {@code archive}: as named, with a note on how much of it was read. */
    private void printTable(Console console, String archive, ArchiveSummary s) {
        Summary m = s.summary();
        console.result("Archive:     " + archive);
        console.result("Format:      " + m.formatVersion() + " (written by " + m.tool().name() + " " + m.tool().version() + ")");
        console.result("Archive ID:  " + m.archiveId());
        console.result("Created:     " + m.createdAt());
        console.result("Source:      " + m.source().server() + " (cluster id " + m.source().clusterId() + ", " + m.source().serverVersion() + ")");
        console.result("Selection:   " + (m.selection().allNamespaces() ? "all namespaces" : "namespaces " + String.join(", ", m.selection().namespaces()))
                + (m.selection().clusters().isEmpty() ? "" : ", clusters " + String.join(", ", m.selection().clusters())));
        console.result("Encryption:  " + m.encryption().scheme() + ", " + m.encryption().recipients().size() + " recipient(s)"
                + (m.encryption().passphrase() ? " + passphrase" : ""));
        for (Manifest.Recipient r : m.encryption().recipients()) {
            console.result("             " + r.publicKey() + (r.label() == null ? "" : "  (" + r.label() + ")"));
        }
        console.result("Signature:   " + (m.signature() == null ? "none" : m.signature() + " (pivotctl validate --verify-key checks it)"));
        console.result("Leases:      " + (m.contents().leases() == null ? "none" : m.contents().leases()));
        console.result("");
        console.result(String.format("%-45s %8s", "KIND", "OBJECTS"));
        for (Map.Entry<String, Integer> e : s.objectsPerKind().entrySet()) {
            console.result(String.format("%-45s %8d", e.getKey(), e.getValue()));
        }
        console.result("");
        if (!s.hostsRead()) {
            Map<String, Integer> states = m.contents().hostsPerState();
            console.result("Hosts:       " + m.contents().hosts() + " BareMetalHost(s)" + (states == null ? "; states are in the objects"
                    : states.isEmpty() ? "" : ": " + String.join(", ", states.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList()))
                    + "; inspect --full lists them");
        }
        for (ArchiveSummary.ClusterHosts c : s.clusters()) {
            console.result("Cluster " + c.cluster() + ": " + c.hosts().size() + " host(s)");
            printHosts(console, c.hosts());
        }
        for (ClassUse c : s.clusterClasses()) {
            console.result("ClusterClass " + c.clusterClass() + ": used by " + (c.usedBy().isEmpty() ? "no archived Cluster" : String.join(", ", c.usedBy()))
                    + "; " + c.templates().size() + " template(s)");
            c.templates().forEach(t -> console.result("  " + t));
        }
        if (!s.unclaimedHosts().isEmpty()) {
            console.result("Unclaimed hosts: " + s.unclaimedHosts().size());
            printHosts(console, s.unclaimedHosts());
        }
        console.result("");
        leftOut.print(console, "Left out by the export", s.leftOut().stream()
                .map(l -> new LeftOutOption.Group(l.describe(), l.count(), l.objects())).toList(), oldVerbose);
    }

    private static void printHosts(Console console, List<ArchiveSummary.Host> hosts) {
        for (ArchiveSummary.Host h : hosts) {
            console.result(String.format("  %-30s %-14s %-8s %s", h.name(), h.provisioningState(), h.poweredOn() ? "on" : "off",
                    h.bootMACAddress() == null ? "" : h.bootMACAddress()));
        }
    }
}

package io.pivotctl.cli;

import io.pivotctl.Json;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.Summary;
import io.pivotctl.storage.S3Archive;
import io.pivotctl.validate.ArchiveKeys;
import io.pivotctl.validate.ArchiveSummary;
import io.pivotctl.validate.ArchiveValidation;
import io.pivotctl.validate.LoadedArchive;
import io.pivotctl.storage.ArchiveLocation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show what an archive holds: format, source, time, objects per kind, clusters with their hosts and provisioning states,"
                + " leases and encryption recipients. Needs no key.")
final class InspectCommand implements Callable<Integer> {

    enum Format { table, json }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ARCHIVE")
    ArchiveLocation archive;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT", description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = {"-v", "--verbose"}, description = "Name each object the export left out (Secrets and ConfigMaps are only counted in the archive).")
    boolean verbose;

    @Option(names = "--full", description = "For an archive in object storage: download and check all of it, and list hosts with their states"
            + " (by default only its summary is read, with a ranged read of the object's beginning).")
    boolean full;

    @Override
    public Integer call() throws Exception {
        Console console = new Console(spec, false);
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
        if (format == Format.json) {
            console.result(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s));
            return 0;
        }
        Summary m = s.summary();
        console.result("Archive:     " + archive + note);
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
        if (!s.unclaimedHosts().isEmpty()) {
            console.result("Unclaimed hosts: " + s.unclaimedHosts().size());
            printHosts(console, s.unclaimedHosts());
        }
        console.result("");
        int leftOut = s.leftOut().stream().mapToInt(Manifest.LeftOut::count).sum();
        console.result("Left out by the export: " + (leftOut == 0 ? "nothing" : leftOut + " object(s)"));
        for (Manifest.LeftOut l : s.leftOut()) {
            console.result("  " + l.describe());
            if (verbose) {
                l.objects().forEach(id -> console.result("    " + id));
            }
        }
        return 0;
    }

    private static void printHosts(Console console, List<ArchiveSummary.Host> hosts) {
        for (ArchiveSummary.Host h : hosts) {
            console.result(String.format("  %-30s %-14s %-8s %s", h.name(), h.provisioningState(), h.poweredOn() ? "on" : "off",
                    h.bootMACAddress() == null ? "" : h.bootMACAddress()));
        }
    }
}

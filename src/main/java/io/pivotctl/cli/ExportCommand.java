package io.pivotctl.cli;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.Manifest;
import io.pivotctl.kube.NamespacedName;
import io.pivotctl.crypto.Passphrases;
import io.pivotctl.export.ExportProgress;
import io.pivotctl.export.ExportRequest;
import io.pivotctl.export.ExportService;
import io.pivotctl.export.ExportSummary;
import io.pivotctl.export.LeftOut;
import io.pivotctl.export.LeaseSource;
import io.pivotctl.export.Pauser;
import io.pivotctl.storage.ArchiveLocation;
import io.pivotctl.vocabulary.ClusterApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Write the management cluster's Cluster API and Metal3 objects (status included), their Secrets (age-encrypted),",
            "CRDs and the dnsmasq leases into a versioned archive. Read-only unless --pause."
        })
final class ExportCommand extends PrintingCommand implements OptionCheck, OutputFormat.OldFileSpelling {

    /** Optional only while the previous release's {@code -o ARCHIVE} still works (see {@link OutputFormat#file}). */
    @Parameters(index = "0", arity = "0..1", paramLabel = "ARCHIVE",
            description = "Archive to write: a file (.tar.gz/.tgz compressed, .tar plain) or s3://BUCKET/KEY.")
    ArchiveLocation archive;

    @Mixin
    KubeOptions kube;

    /** kubectl's choice: the context's namespace, some namespaces, or all of them. */
    static final class Scope {
        @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Namespace to export (repeatable; default: the context's namespace).")
        List<String> namespaces = new ArrayList<>();

        @Option(names = {"-A", "--all-namespaces"}, description = "Export from all namespaces.")
        boolean all;
    }

    @ArgGroup(exclusive = true)
    Scope scope;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Export only what belongs to this Cluster (repeatable; NAME or NS/NAME).")
    List<String> clusters = new ArrayList<>();

    @Option(names = "--recipient", paramLabel = "AGE1...", description = "age recipient to encrypt Secrets to (repeatable).")
    List<String> recipients = new ArrayList<>();

    @Option(names = "--recipients-file", paramLabel = "FILE", description = "File of age recipients, one per line.")
    Path recipientsFile;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Also protect the archive with a passphrase read from FILE (or set PIVOTCTL_PASSPHRASE).")
    Path passphraseFile;

    @ArgGroup(exclusive = true)
    Leases leases = new Leases();

    static final class Leases {
        @Option(names = "--leases-file", paramLabel = "FILE", description = "dnsmasq lease file to include.")
        Path file;

        @Option(names = "--leases-from-pod", arity = "0..1", fallbackValue = "", paramLabel = "NS/POD[:CONTAINER]",
                description = "Read the leases from the dnsmasq container (auto-detected when no pod is named).")
        String pod;

        @Option(names = "--leases-from-configmap", paramLabel = "NS/NAME", converter = NamespacedNameConverter.class,
                description = "Read the leases from a ConfigMap (key dnsmasq.leases).")
        NamespacedName configMap;
    }

    @Option(names = "--pause", description = {
        "Pause the selected Clusters and BareMetalHosts before reading, and leave them paused (the pivot workflow).",
        "Everything is read and checked first; if the export then fails, what it paused is unpaused again.",
        "Hosts already paused with the value pivotctl (an earlier --pause) are recorded as paused by pivotctl."})
    boolean pause;

    @Option(names = "--block-move-timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "With --pause: how long to wait, after pausing the Clusters and before pausing the hosts, until no selected object "
                    + "carries " + ClusterApi.BLOCK_MOVE + " (e.g. 90s, 5m; default: ${DEFAULT-VALUE}).")
    Duration blockMoveTimeout;

    @Option(names = "--no-crds", description = "Do not include the CustomResourceDefinitions.")
    boolean noCrds;

    @Option(names = "--sign-key", paramLabel = "FILE", description = "Sign the manifest with this Ed25519 private key (PEM, see keygen --signing).")
    Path signKey;

    @Mixin
    LeftOutOption leftOut;

    @Mixin
    MetricsOptions metrics;

    /** The archive to write: ARCHIVE, or the deprecated -o FILE (set by {@link #check()}). */
    private ArchiveLocation output;

    @Override
    public void check() {
        output = format.file(archive, ArchiveLocation::parse)
                .orElseThrow(() -> PivotctlException.usage("Missing required parameter: 'ARCHIVE' (the archive to write: a file or s3://BUCKET/KEY)"));
        leaseSource();
    }

    @Override
    int run(Console console) {
        List<String> namespaces = scope == null ? List.of() : scope.namespaces;
        boolean allNamespaces = scope != null && scope.all;
        char[] passphrase = Passphrases.read(passphraseFile);
        try {
            ExportRequest request = ExportRequest.of(kube.target(console), output).namespaces(namespaces).allNamespaces(allNamespaces)
                    .clusters(clusters).recipients(io.pivotctl.crypto.Recipients.collect(recipients, recipientsFile)).passphrase(passphrase)
                    .leases(leaseSource()).pause(pause).includeCrds(!noCrds).signKey(signKey).blockMoveTimeout(blockMoveTimeout).build();
            ExportSummary summary = new ExportService().export(request, progress(console));
            format.print(console, () -> json(summary), () -> printSummary(console, summary));
            metrics.record(summary.objectCount(), summary.secretsEncrypted(), metrics.file == null ? 0 : output.size());
            return 0;
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    private LeaseSource leaseSource() {
        if (leases.file != null) {
            return new LeaseSource.File(leases.file);
        }
        if (leases.configMap != null) {
            return new LeaseSource.ConfigMap(leases.configMap.namespace(), leases.configMap.name());
        }
        if (leases.pod != null) {
            if (leases.pod.isEmpty()) {
                return new LeaseSource.Pod(null, null, null);
            }
            String spec = leases.pod;
            String container = null;
            if (spec.contains(":")) {
                container = spec.substring(spec.indexOf(':') + 1);
                spec = spec.substring(0, spec.indexOf(':'));
            }
            NamespacedName pod;
            try {
                pod = NamespacedName.parse(spec);
            } catch (IllegalArgumentException e) {
                throw PivotctlException.usage("--leases-from-pod wants NS/POD[:CONTAINER], got '" + leases.pod + "'");
            }
            return new LeaseSource.Pod(pod.namespace(), pod.name(), container);
        }
        return new LeaseSource.None();
    }

    private static ExportProgress progress(Console console) {
        return new ExportProgress() {
            @Override
            public void phase(String description) {
                console.progress(description + " ...");
            }

            @Override
            public void listed(String resource, int count) {
                if (count > 0) { // empty kinds are the norm (most Metal3 kinds are optional): not worth a line each
                    console.progress(String.format("  listed %6d %s", count, resource));
                }
            }

            @Override
            public void warning(String message) {
                console.warning(message);
            }
        };
    }

    private static LeftOutOption.Group group(LeftOut l) {
        return new LeftOutOption.Group(l.describe(), l.objects().size(), l.objects().stream().map(String::valueOf).toList());
    }

    private static Map<String, Object> json(ExportSummary s) {
        Manifest m = s.manifest();
        return OutputFormat.fields("archive", s.archive().toString(), "archiveId", m.archiveId(), "formatVersion", m.formatVersion(),
                "objectsPerKind", s.objectsPerKind(), "objects", s.objectCount(), "secretsEncrypted", s.secretsEncrypted(),
                "recipients", m.encryption().recipients().size(), "passphrase", m.encryption().passphrase(),
                "leases", m.leases() == null ? null : OutputFormat.fields("count", s.leases(), "source", m.leases().source()),
                "leftOut", s.leftOut().stream().map(l -> OutputFormat.fields("kind", l.kind(), "reason", l.reason(),
                        "objects", l.objects().stream().map(String::valueOf).toList())).toList(),
                "warnings", s.warnings(), "pausedByPivotctl", s.pausedByUs(), "seconds", s.millis() / 1000.0);
    }

    private void printSummary(Console console, ExportSummary s) {
        console.result("Wrote " + s.archive() + " (archive " + s.manifest().archiveId() + ", format " + s.manifest().formatVersion() + ")");
        console.result(String.format("%-45s %8s", "KIND", "OBJECTS"));
        for (Map.Entry<String, Integer> e : new java.util.TreeMap<>(s.objectsPerKind()).entrySet()) {
            console.result(String.format("%-45s %8d", e.getKey(), e.getValue()));
        }
        console.result(String.format("%-45s %8d", "total", s.objectCount()));
        console.result("Secrets encrypted: " + s.secretsEncrypted() + " (to " + s.manifest().encryption().recipients().size() + " recipient(s)"
                + (s.manifest().encryption().passphrase() ? " + passphrase" : "") + ")");
        console.result("Leases: " + (s.manifest().leases() == null ? "none collected" : s.leases() + " from " + s.manifest().leases().source()));
        boolean oldVerbose = kube.verbose && !leftOut.show && !s.leftOut().isEmpty();
        if (oldVerbose) {
            console.warning("'export -v' naming each left-out object is deprecated and goes away in the next release: write"
                    + " 'export --show-left-out' (-v is the API-request trace)");
        }
        leftOut.print(console, "Left out", s.leftOut().stream().map(ExportCommand::group).toList(), oldVerbose);
        console.result("Warnings: " + s.warnings().size());
        console.result(String.format("Time: %.1fs", s.millis() / 1000.0));
        if (!s.pausedByUs().isEmpty()) {
            console.result("Paused by pivotctl (left paused, recorded in the archive): " + String.join(", ", s.pausedByUs()));
            console.result(Pauser.unpauseHint());
        }
    }
}

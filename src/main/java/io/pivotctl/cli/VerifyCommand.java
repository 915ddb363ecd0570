package io.pivotctl.cli;

import io.pivotctl.Json;
import io.pivotctl.Outcome;
import io.pivotctl.kube.NamespacedName;
import io.pivotctl.validate.LoadedArchive;
import io.pivotctl.verify.Difference;
import io.pivotctl.verify.VerifyReport;
import io.pivotctl.verify.VerifyService;
import io.pivotctl.storage.ArchiveLocation;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
            "Compare the live cluster with an archive: missing objects, spec/labels/annotations, status, owner references,",
            "Secret data (needs the key), the leases ConfigMap, objects being deleted (Terminating), and Clusters/hosts",
            "paused other than import leaves them (what export paused for the move must be unpaused).",
            "Exit 0 when equal, 4 on differences."
        })
final class VerifyCommand implements Callable<Integer> {

    enum Format { table, json }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ARCHIVE")
    ArchiveLocation archive;

    @Mixin
    KubeOptions kube;

    @Mixin
    ChunkSizeOption chunk;

    @Mixin
    KeyOptions keyOptions;

    @Option(names = "--leases-configmap", paramLabel = "NS/NAME", defaultValue = "metal3/dnsmasq-leases-configmap",
            converter = NamespacedNameConverter.class, description = "ConfigMap holding the leases (default: ${DEFAULT-VALUE}).")
    NamespacedName leasesConfigMap;

    @Option(names = "--expect-paused", description = "The import ran with --keep-paused: expect restored Clusters and BareMetalHosts paused.")
    boolean expectPaused;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT", description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() throws Exception {
        Console console = new Console(spec, false);
        io.pivotctl.kube.KubeTarget target = chunk.apply(kube.target(console)); // a usage error before the archive is read
        LoadedArchive loaded = keyOptions.load(archive, console);
        VerifyReport r = new VerifyService().run(target, loaded, leasesConfigMap.namespace(), leasesConfigMap.name(), expectPaused);
        if (format == Format.json) {
            console.result(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r));
        } else {
            if (!r.differences().isEmpty()) {
                console.result(String.format("%-60s %-12s %s", "OBJECT", "DIFFERENCE", "DETAIL"));
                for (Difference d : r.differences()) {
                    console.result(String.format("%-60s %-12s %s", d.object(), d.kind(), d.detail()));
                }
            }
            console.result((r.equal() ? "EQUAL" : "DIFFERENT") + ": " + r.objectsChecked() + " objects checked on " + r.target()
                    + ", " + r.differences().size() + " difference(s)"
                    + (r.secretsSkipped() ? "; Secret data NOT compared (no key given)" : ", Secret data compared")
                    + (r.leasesChecked() ? ", leases compared" : ""));
        }
        return r.equal() ? 0 : Outcome.DIFFERENCES.exitCode();
    }
}

package io.pivotctl.cli;

import io.pivotctl.Outcome;
import io.pivotctl.validate.LoadedArchive;
import io.pivotctl.verify.Difference;
import io.pivotctl.verify.VerifyReport;
import io.pivotctl.verify.VerifyService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
            "Compare the live cluster with an archive: missing objects, spec/labels/annotations, status, owner references,",
            "Secret data (needs the key), the leases ConfigMap, objects being deleted (Terminating), and Clusters/hosts",
            "paused other than import leaves them (what export paused for the move must be unpaused).",
            "Exit 0 when equal, 4 on differences."
        })
final class VerifyCommand extends PrintingCommand {

    @Mixin
    ArchiveInput archive;

    @Mixin
    KubeOptions kube;

    @Mixin
    LeasesConfigMapOption leases;

    @Option(names = "--expect-paused", description = "The import ran with --keep-paused: expect restored Clusters and BareMetalHosts paused.")
    boolean expectPaused;

    @Override
    int run(Console console) {
        LoadedArchive loaded = archive.load(console);
        VerifyReport r = new VerifyService().run(kube.target(console), loaded, leases.configMap.namespace(), leases.configMap.name(), expectPaused);
        format.print(console, () -> r, () -> printTable(console, r));
        return r.equal() ? 0 : Outcome.DIFFERENCES.exitCode();
    }

    private static void printTable(Console console, VerifyReport r) {
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
}

package io.pivotctl.cli;

import io.pivotctl.Outcome;
import io.pivotctl.diff.ArchiveDiff;
import io.pivotctl.diff.DiffReport;
import io.pivotctl.diff.HostChange;
import io.pivotctl.diff.LeaseChange;
import io.pivotctl.diff.ObjectChange;
import io.pivotctl.storage.ArchiveLocation;
import io.pivotctl.validate.LoadedArchive;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {
            "What changed from archive A to archive B: objects added, removed and changed (with the changed field paths),",
            "hosts whose provisioning state or Ironic ID changed, dnsmasq leases, and Secrets (by the SHA-256 of their",
            "decrypted content with --identity, else by manifest digest). Never prints a Secret value.",
            "Exit 0 when equal, 4 when different."
        })
final class DiffCommand extends PrintingCommand {

    @Parameters(index = "0", paramLabel = "A", description = "The earlier archive: a file or s3://BUCKET/KEY.")
    ArchiveLocation a;

    @Parameters(index = "1", paramLabel = "B", description = "The later archive: a file or s3://BUCKET/KEY.")
    ArchiveLocation b;

    @Mixin
    KeyOptions keys;

    @Override
    int run(Console console) {
        console.progress("validating " + a + " ...");
        LoadedArchive before = keys.load(a, console);
        console.progress("validating " + b + " ...");
        LoadedArchive after = keys.load(b, console);
        DiffReport r = ArchiveDiff.of(a.toString(), before, b.toString(), after);
        format.print(console, () -> r, () -> printTable(console, r));
        return r.equal() ? 0 : Outcome.DIFFERENCES.exitCode();
    }

    private static void printTable(Console console, DiffReport r) {
        if (!r.objects().isEmpty()) {
            console.result(String.format("%-70s %-8s %s", "OBJECT", "CHANGE", "FIELDS"));
            for (ObjectChange c : r.objects()) {
                console.result(String.format("%-70s %-8s %s", c.object(), c.change().name().toLowerCase(Locale.ROOT), String.join(", ", c.fields())));
            }
        }
        for (HostChange h : r.hosts()) {
            console.result("host " + h.host() + ": " + h.field() + " " + show(h.before()) + " -> " + show(h.after()));
        }
        for (LeaseChange l : r.leases()) {
            console.result("lease " + l.mac() + " " + l.change().name().toLowerCase(Locale.ROOT) + ": " + show(l.before()) + " -> " + show(l.after()));
        }
        console.result((r.equal() ? "EQUAL" : "DIFFERENT") + ": " + r.objects().size() + " object(s), " + r.hosts().size() + " host change(s), "
                + r.leases().size() + " lease change(s)"
                + (r.secretsByContent() ? "; Secrets compared by decrypted content" : "; Secrets compared by manifest digest (give --identity to compare content)")
                + (r.secretsUndecided() == 0 ? "" : "; " + r.secretsUndecided() + " Secret(s) re-encrypted with the same description: content not compared"));
    }

    private static String show(String value) {
        return value == null ? "(none)" : value;
    }
}

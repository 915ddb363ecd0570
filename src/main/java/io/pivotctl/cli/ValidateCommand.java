package io.pivotctl.cli;

import io.pivotctl.Outcome;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ValidationReport;
import io.pivotctl.validate.ArchiveKeys;
import io.pivotctl.validate.ArchiveValidation;
import io.pivotctl.validate.LoadedArchive;
import io.pivotctl.storage.ArchiveLocation;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {
            "Check an archive offline (touches no cluster): tar safety, checksums, manifest schema and version, every object,",
            "graph closure, leases, the signature (with --verify-key) and, with a key, that every Secret decrypts and matches.",
            "Exit 0 when valid, 3 when not (every problem is listed)."
        })
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ARCHIVE")
    ArchiveLocation archive;

    @Mixin
    KeyOptions keyOptions;

    @Override
    public Integer call() {
        Console console = new Console(spec, false);
        ArchiveKeys keys = keyOptions.keys();
        try {
            LoadedArchive loaded = ArchiveValidation.validate(archive, keys, ArchiveLimits.DEFAULT, console::warning);
            ValidationReport r = loaded.report();
            for (String e : r.errors()) {
                console.result("ERROR   " + e);
            }
            for (String w : r.warnings()) {
                console.result("WARNING " + w);
            }
            console.result(archive + ": " + (r.valid() ? "valid" : "INVALID") + " (format " + loaded.manifest().formatVersion()
                    + ", " + loaded.manifest().entries().size() + " entries, " + r.errors().size() + " error(s), " + r.warnings().size()
                    + " warning(s), " + (keys.canDecrypt() ? r.secretsDecrypted() + " Secrets decrypted" : "Secrets not decrypted: no key given")
                    + (keys.verifyKey() != null && r.valid() ? ", signature verified" : "") + ")");
            return r.valid() ? 0 : Outcome.INVALID.exitCode();
        } finally {
            keys.wipe();
        }
    }
}

package io.pivotctl.cli;

import io.pivotctl.Outcome;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ValidationReport;
import io.pivotctl.validate.ArchiveKeys;
import io.pivotctl.validate.ArchiveValidation;
import io.pivotctl.validate.LoadedArchive;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {
            "Check an archive offline (touches no cluster): tar safety, checksums, manifest schema and version, every object,",
            "graph closure, leases, the signature (with --verify-key) and, with a key, that every Secret decrypts and matches.",
            "Exit 0 when valid, 3 when not (every problem is listed)."
        })
final class ValidateCommand extends PrintingCommand {

    @Mixin
    ArchiveInput archive;

    @Override
    int run(Console console) {
        ArchiveKeys keys = archive.keys();
        try {
            LoadedArchive loaded = ArchiveValidation.validate(archive.location(), keys, ArchiveLimits.DEFAULT, console::warning);
            boolean decrypted = keys.canDecrypt();
            boolean signatureVerified = keys.verifyKey() != null && loaded.report().valid();
            format.print(console, () -> json(loaded, decrypted, signatureVerified), () -> printTable(console, loaded, decrypted, signatureVerified));
            return loaded.report().valid() ? 0 : Outcome.INVALID.exitCode();
        } finally {
            keys.wipe();
        }
    }

    private Map<String, Object> json(LoadedArchive loaded, boolean decrypted, boolean signatureVerified) {
        ValidationReport r = loaded.report();
        return OutputFormat.fields("archive", archive.location().toString(), "valid", r.valid(), "formatVersion", loaded.manifest().formatVersion(),
                "entries", loaded.manifest().entries().size(), "errors", r.errors(), "warnings", r.warnings(),
                "secretsDecrypted", decrypted ? r.secretsDecrypted() : null, "signatureVerified", signatureVerified);
    }

    private void printTable(Console console, LoadedArchive loaded, boolean decrypted, boolean signatureVerified) {
        ValidationReport r = loaded.report();
        for (String e : r.errors()) {
            console.result("ERROR   " + e);
        }
        for (String w : r.warnings()) {
            console.result("WARNING " + w);
        }
        console.result(archive.location() + ": " + (r.valid() ? "valid" : "INVALID") + " (format " + loaded.manifest().formatVersion()
                + ", " + loaded.manifest().entries().size() + " entries, " + r.errors().size() + " error(s), " + r.warnings().size()
                + " warning(s), " + (decrypted ? r.secretsDecrypted() + " Secrets decrypted" : "Secrets not decrypted: no key given")
                + (signatureVerified ? ", signature verified" : "") + ")");
    }
}

package io.pivotctl.cli;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.Manifest;
import io.pivotctl.rekey.RekeyRequest;
import io.pivotctl.rekey.RekeyResult;
import io.pivotctl.rekey.RekeyService;
import io.pivotctl.storage.ArchiveLocation;
import io.pivotctl.storage.LocalArchive;
import io.pivotctl.validate.ArchiveKeys;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "rekey", mixinStandardHelpOptions = true,
        description = {
            "Re-encrypt every Secret of ARCHIVE for new recipients into OUT (touches no cluster): every other entry is kept byte for byte,",
            "the manifest records the rekey, OUT is read back and validated before it is reported. A signed archive needs --sign-key",
            "or --drop-signature. Exit 0 when done, 2 for options, 3 when ARCHIVE is invalid or the key does not open it."
        })
final class RekeyCommand extends PrintingCommand implements OptionCheck {

    @Mixin
    ArchiveInput archive;

    @Parameters(index = "1", paramLabel = "OUT", description = "The rekeyed archive to write: a file or s3://BUCKET/KEY (a new name).")
    ArchiveLocation out;

    @Mixin
    NewKeyOptions newKeys;

    @Override
    public void check() {
        if (out.toString().equals(archive.location().toString())) {
            throw PivotctlException.usage("OUT is ARCHIVE: write the rekeyed archive to a new name (backups rekey replaces archives in place)");
        }
        if (out instanceof LocalArchive local && Files.exists(local.path())) {
            throw PivotctlException.usage("OUT " + local.path() + " already exists: choose a new name (nothing was written)");
        }
        Rekeying.requireOldKey(archive.keyOptions);
    }

    @Override
    int run(Console console) {
        ArchiveKeys keys = archive.keys();
        Optional<char[]> passphrase = newKeys.newPassphrase();
        try {
            RekeyRequest request = new RekeyRequest(archive.location(), out, keys, newKeys.prepare(passphrase), newKeys.signingKey(),
                    newKeys.dropSignature);
            RekeyResult result = new RekeyService(console::progress, console::warning).rekey(request);
            format.print(console, () -> json(result), () -> table(console, result));
            return 0;
        } finally {
            keys.wipe();
            NewKeyOptions.wipe(passphrase);
        }
    }

    static Map<String, Object> json(RekeyResult r) {
        return OutputFormat.fields("archive", r.source(), "out", r.target(), "archiveId", r.archiveId(), "secretsRekeyed", r.secretsRekeyed(),
                "entriesKept", r.entriesKept(), "from", keys(r.rekey().from()), "to", keys(r.rekey().to()), "passphrase", r.rekey().passphrase(),
                "signed", r.signed(), "rekeyedAt", r.rekey().rekeyedAt());
    }

    private static void table(Console console, RekeyResult r) {
        console.result(r.target() + ": " + r.secretsRekeyed() + " Secret(s) re-encrypted, " + r.entriesKept() + " entries kept byte for byte, "
                + (r.signed() ? "signed" : "unsigned") + ", read back and valid");
        console.result("  from: " + String.join(", ", keys(r.rekey().from())));
        console.result("  to:   " + String.join(", ", keys(r.rekey().to())) + (r.rekey().passphrase() ? " (+ passphrase)" : ""));
    }

    /** Recipients as their public keys, the passphrase's archive identity named as such. */
    static List<String> keys(List<Manifest.Recipient> recipients) {
        return recipients.stream().map(x -> "archive-identity".equals(x.label()) ? "passphrase (" + x.publicKey() + ")" : x.publicKey()).toList();
    }
}

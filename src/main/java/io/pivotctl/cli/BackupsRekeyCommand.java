package io.pivotctl.cli;

import io.pivotctl.rekey.RekeyRequest;
import io.pivotctl.rekey.RekeyService;
import io.pivotctl.rekey.StoreRekey;
import io.pivotctl.storage.ArchiveStore;
import io.pivotctl.validate.ArchiveKeys;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "rekey", mixinStandardHelpOptions = true,
        description = {
            "Rekey every archive under LOCATION (s3://BUCKET/PREFIX/ or a directory) in place: each new version is written beside it,",
            "read back and validated, and only then replaces it under its name. Archives already sealed for the new recipients are",
            "skipped, so a re-run finishes an interrupted one. Lists every archive the key could not open; exit 1 if any."
        })
final class BackupsRekeyCommand extends PrintingCommand implements OptionCheck {

    @Mixin
    BackupsCommand.Location where;

    @Mixin
    KeyOptions keyOptions;

    @Mixin
    NewKeyOptions newKeys;

    @Override
    public void check() {
        Rekeying.requireOldKey(keyOptions);
    }

    @Override
    int run(Console console) {
        ArchiveKeys keys = keyOptions.keys();
        Optional<char[]> passphrase = newKeys.newPassphrase();
        try (ArchiveStore store = ArchiveStore.open(where.location)) {
            RekeyRequest template = new RekeyRequest(null, null, keys, newKeys.prepare(passphrase), newKeys.signingKey(), newKeys.dropSignature);
            List<StoreRekey.Row> rows = new StoreRekey(new RekeyService(console::progress, console::warning), console::progress,
                    passphrase.map(char[]::clone)).rekeyAll(store, template);
            format.print(console, () -> rows, () -> table(console, rows, where.location));
            return rows.stream().anyMatch(r -> r.status() == StoreRekey.Status.failed) ? 1 : 0;
        } finally {
            keys.wipe();
            NewKeyOptions.wipe(passphrase);
        }
    }

    private static void table(Console console, List<StoreRekey.Row> rows, String location) {
        console.result(String.format("%-8s %s", "STATUS", "ARCHIVE"));
        for (StoreRekey.Row r : rows) {
            console.result(String.format("%-8s %s", r.status(), r.name() + (r.detail().isEmpty() ? "" : ": " + r.detail())));
        }
        List<String> failed = rows.stream().filter(r -> r.status() == StoreRekey.Status.failed).map(StoreRekey.Row::name).toList();
        console.result(count(rows, StoreRekey.Status.rekeyed) + " rekeyed, " + count(rows, StoreRekey.Status.skipped) + " already rekeyed, "
                + failed.size() + " could not be rekeyed, " + count(rows, StoreRekey.Status.other) + " other object(s) in " + location);
        if (!failed.isEmpty()) {
            console.result("could not open with the given key (left as they were): " + String.join(", ", failed));
        }
    }

    private static long count(List<StoreRekey.Row> rows, StoreRekey.Status status) {
        return rows.stream().filter(r -> r.status() == status).count();
    }
}

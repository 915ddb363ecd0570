package io.pivotctl.cli;

import io.pivotctl.PivotctlException;
import io.pivotctl.storage.ArchiveLocation;
import io.pivotctl.validate.ArchiveKeys;
import io.pivotctl.validate.LoadedArchive;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The archive a command reads and its keys: ARCHIVE, --identity | --passphrase-file, --verify-key, --require-signature. */
final class ArchiveInput implements OptionCheck {

    @Mixin
    ArchiveArgument archive;

    @Mixin
    KeyOptions keyOptions;

    @Option(names = "--require-signature", description = "Refuse an archive whose manifest signature is missing or does not verify"
            + " with --verify-key (which it requires).")
    boolean requireSignature;

    ArchiveLocation location() {
        return archive.location;
    }

    /** Reads and checks the whole archive; its problems are one line, exit 3. */
    LoadedArchive load(Console console) {
        return keyOptions.load(archive.location, console);
    }

    /** The keys as given (the caller wipes them). */
    ArchiveKeys keys() {
        return keyOptions.keys();
    }

    @Override
    public void check() {
        if (requireSignature && keyOptions.verifyKey == null) {
            throw PivotctlException.usage("--require-signature needs --verify-key FILE (the Ed25519 public key of the archive's signer)");
        }
    }
}

package io.pivotctl.cli;

import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.IdentityFiles;
import io.pivotctl.crypto.ManifestSigner;
import io.pivotctl.PivotctlException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {
            "Make a new age identity for encrypting archive Secrets (like age-keygen): with FILE it is written there (mode 0600,",
            "never overwritten) and its recipient age1... is printed; without FILE the identity goes to stdout.",
            "With --signing, make an Ed25519 manifest signing key instead: FILE (private) and FILE.pub (public)."
        })
final class KeygenCommand extends PrintingCommand implements OptionCheck, OutputFormat.OldFileSpelling {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Write the key to FILE (refuses to overwrite).")
    Path file;

    @Option(names = "--signing", description = "Make an Ed25519 signing key pair (for export --sign-key / --verify-key).")
    boolean signing;

    /** FILE, or the deprecated -o FILE (set by {@link #check()}); null writes the identity to stdout. */
    private Path output;

    @Override
    public void check() {
        output = format.file(file, Path::of).orElse(null);
        if (signing && output == null) {
            throw PivotctlException.usage("--signing needs FILE (the public key goes to FILE.pub)");
        }
    }

    @Override
    int run(Console console) {
        if (signing) {
            KeyPair kp = ManifestSigner.generate();
            Path pub = Path.of(output + ".pub");
            IdentityFiles.writeNew(output, ManifestSigner.privatePem(kp.getPrivate()).getBytes(StandardCharsets.US_ASCII));
            IdentityFiles.writeNew(pub, ManifestSigner.publicPem(kp.getPublic()).getBytes(StandardCharsets.US_ASCII));
            format.print(console, () -> OutputFormat.fields("privateKey", output.toString(), "publicKey", pub.toString()), () -> console.result(pub.toString()));
            return 0;
        }
        AgeIdentity identity = AgeIdentity.generate();
        String text = identity.toIdentityFile(Instant.now());
        if (output == null) {
            console.progress("Public key: " + identity.recipient());
            format.print(console, () -> OutputFormat.fields("recipient", identity.recipient(), "identity", text), () -> console.result(text.stripTrailing()));
            return 0;
        }
        IdentityFiles.writeNew(output, text.getBytes(StandardCharsets.US_ASCII));
        format.print(console, () -> OutputFormat.fields("recipient", identity.recipient(), "file", output.toString()), () -> console.result(identity.recipient()));
        return 0;
    }
}

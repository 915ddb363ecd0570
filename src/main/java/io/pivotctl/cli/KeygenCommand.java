package io.pivotctl.cli;

import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.IdentityFiles;
import io.pivotctl.crypto.ManifestSigner;
import io.pivotctl.PivotctlException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {
            "Make a new age identity for encrypting archive Secrets (like age-keygen): with -o it is written to FILE (mode 0600,",
            "never overwritten) and its recipient age1... is printed; without -o the identity goes to stdout.",
            "With --signing, make an Ed25519 manifest signing key instead: FILE (private) and FILE.pub (public)."
        })
final class KeygenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the key to FILE (refuses to overwrite).")
    Path output;

    @Option(names = "--signing", description = "Make an Ed25519 signing key pair (for export --sign-key / --verify-key).")
    boolean signing;

    @Override
    public Integer call() {
        Console console = new Console(spec, false);
        if (signing) {
            if (output == null) {
                throw PivotctlException.usage("--signing needs -o FILE (the public key goes to FILE.pub)");
            }
            KeyPair kp = ManifestSigner.generate();
            Path pub = Path.of(output + ".pub");
            IdentityFiles.writeNew(output, ManifestSigner.privatePem(kp.getPrivate()).getBytes(StandardCharsets.US_ASCII));
            IdentityFiles.writeNew(pub, ManifestSigner.publicPem(kp.getPublic()).getBytes(StandardCharsets.US_ASCII));
            console.result(pub.toString());
            return 0;
        }
        AgeIdentity identity = AgeIdentity.generate();
        String file = identity.toIdentityFile(Instant.now());
        if (output == null) {
            spec.commandLine().getErr().println("Public key: " + identity.recipient());
            spec.commandLine().getErr().flush();
            console.result(file.stripTrailing());
            return 0;
        }
        IdentityFiles.writeNew(output, file.getBytes(StandardCharsets.US_ASCII));
        console.result(identity.recipient());
        return 0;
    }
}

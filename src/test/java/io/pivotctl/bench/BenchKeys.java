package io.pivotctl.bench;

import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.IdentityFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The keys of one bench run, made as an operator makes them: an age identity for the Secrets, and an Ed25519 signing
 * key pair written by {@code pivotctl keygen --signing} (the private key to export --sign-key, FILE.pub to --verify-key).
 */
record BenchKeys(String recipient, Path identity, Path signKey, Path verifyKey) {

    static BenchKeys make(Path jar, Path dir) throws IOException, InterruptedException {
        AgeIdentity id = AgeIdentity.generate();
        Path identity = dir.resolve("key.txt");
        IdentityFiles.writeNew(identity, id.toIdentityFile(Instant.now()).getBytes(StandardCharsets.UTF_8));
        Path signKey = dir.resolve("sign.key");
        Command.run(Command.pivotctl(jar, "keygen", "--signing", signKey.toString()), dir, "keygen-signing", false);
        return new BenchKeys(id.recipient(), identity, signKey, Path.of(signKey + ".pub"));
    }
}

package io.pivotctl.testing;

import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.IdentityFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/** A fresh age identity written to {@code key.txt} (0600, as keygen would) and its recipient. */
public record TestKey(Path identity, String recipient) {

    public static TestKey create(Path dir) {
        AgeIdentity id = AgeIdentity.generate();
        Path file = dir.resolve("key.txt");
        IdentityFiles.writeNew(file, id.toIdentityFile(Instant.now()).getBytes(StandardCharsets.UTF_8));
        return new TestKey(file, id.recipient());
    }

    /** {@code pivotctl export -n metal3 -q} of {@code source} to {@code archive}, encrypted to this key; fails the test if it fails. */
    public Path exportMetal3(TestApiServer source, Path archive, String... extra) {
        String[] base = {"export", archive.toString(), "--kubeconfig", source.kubeconfig().toString(), "-n", "metal3", "--recipient", recipient, "-q"};
        Cli.Result r = Cli.run(Cli.concat(base, extra));
        if (r.exitCode() != 0) {
            throw new AssertionError("export failed: " + r);
        }
        return archive;
    }
}

package io.pivotctl.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * Issue 20's rows: the fleet exported signed (to a file in a backup folder, and to an S3 prefix), validated with
 * --verify-key, and listed the two ways an operator finds a backup again: {@code backups list} of the folder and of the
 * prefix, {@code inspect s3://} without --full. The import of the signed archive is the harness's import row.
 */
final class SignedRows {

    static final String BUCKET = "bench";
    static final String NAME = "fleet-signed.tar.gz";
    static final String S3_PREFIX = "s3://" + BUCKET + "/backups/";

    private final Path jar;
    private final BenchKeys keys;
    private final URI s3;
    private final FleetRows rows;

    SignedRows(Path jar, BenchKeys keys, URI s3, FleetRows rows) {
        this.jar = jar;
        this.keys = keys;
        this.s3 = s3;
        this.rows = rows;
    }

    /** The signed archive on disk, alone in its backup folder. */
    Path archive() {
        return rows.dir().resolve("backups").resolve(NAME);
    }

    /** export --sign-key to the folder and to S3, then validate --verify-key --require-signature of the file. */
    void exportAndValidate(String sourceKubeconfig) throws IOException, InterruptedException {
        Files.createDirectories(archive().getParent());
        rows.pivotctl("export-signed", Command.pivotctl(jar, signedExport(archive().toString(), sourceKubeconfig)));
        rows.pivotctl("export-signed-s3", Command.s3(s3, Command.pivotctl(jar, signedExport(S3_PREFIX + NAME, sourceKubeconfig))));
        rows.pivotctl("validate-signed", Command.pivotctl(jar, "validate", archive().toString(), "--identity", keys.identity().toString(),
                "--verify-key", keys.verifyKey().toString(), "--require-signature"));
    }

    private String[] signedExport(String archive, String sourceKubeconfig) {
        return new String[] {"export", archive, "-q", "-v", "--kubeconfig", sourceKubeconfig, "-n", Bench.NAMESPACE, "--recipient", keys.recipient(),
            "--sign-key", keys.signKey().toString()};
    }

    /** The flags the import row adds: the signature must be there and verify with the key. */
    List<String> requireSignature() {
        return List.of("--require-signature", "--verify-key", keys.verifyKey().toString());
    }

    /** backups list of the folder and of the prefix, inspect s3:// of the archive; each must name the signed archive. */
    void list() throws IOException, InterruptedException {
        rows.pivotctl("backups-list", Command.pivotctl(jar, "backups", "list", archive().getParent().toString()));
        rows.pivotctl("backups-list-s3", Command.s3(s3, Command.pivotctl(jar, "backups", "list", S3_PREFIX)));
        rows.pivotctl("inspect-s3", Command.s3(s3, Command.pivotctl(jar, "inspect", S3_PREFIX + NAME)));
        for (String key : List.of("backups-list", "backups-list-s3")) {
            require(key, out -> out.contains(NAME) && out.contains("1 archive(s)"), "list the signed archive as an archive");
        }
        require("inspect-s3", out -> out.lines().anyMatch(l -> l.startsWith("Signature:") && !l.contains("none")), "show its signature");
    }

    /** A listing that does not show the signed archive measured nothing useful: the bench fails, naming it. */
    private void require(String key, Predicate<String> shown, String what) throws IOException {
        String out = Files.readString(rows.out(key));
        if (!shown.test(out)) {
            throw new IllegalStateException(key + " did not " + what + ": " + out.lines().limit(6).toList());
        }
    }
}

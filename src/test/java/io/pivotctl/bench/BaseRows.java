package io.pivotctl.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The base jar's export, import and verify of the same fleet, for issue 23's same-run CPU comparison. The import goes
 * into a second target server started with the first and as empty as the first was before the current jar's import,
 * so the two imports do the same work. Only flags both jars have: export -o ARCHIVE (deprecated but accepted by the
 * current jar), no --preflight, no signing.
 */
final class BaseRows {

    private final Path jar;
    private final BenchKeys keys;
    private final FleetRows rows;
    private final Path archive;

    BaseRows(Path jar, BenchKeys keys, FleetRows rows) {
        this.jar = jar;
        this.keys = keys;
        this.rows = rows;
        this.archive = rows.dir().resolve("base-fleet.tar.gz");
    }

    void export(String sourceKubeconfig) throws IOException, InterruptedException {
        rows.pivotctl("base-export", Command.pivotctl(jar, "export", "-o", archive.toString(), "-q", "-v", "--kubeconfig", sourceKubeconfig,
                "-n", Bench.NAMESPACE, "--recipient", keys.recipient()));
    }

    void importInto(String targetKubeconfig) throws IOException, InterruptedException {
        rows.pivotctl("base-import", Command.pivotctl(jar, "import", "-q", "-v", archive.toString(), "--kubeconfig", targetKubeconfig,
                "--identity", keys.identity().toString(), "--concurrency", "16", "--qps", "0"));
    }

    /** The base jar's verify of its target, which must find it equal; the objects it checked. */
    int verify(String targetKubeconfig) throws IOException, InterruptedException {
        return rows.verify("base-verify", Command.pivotctl(jar, "verify", "-v", archive.toString(), "--kubeconfig", targetKubeconfig,
                "--identity", keys.identity().toString(), "-o", "json"));
    }
}

package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.ImportWatch;
import io.pivotctl.testing.RestartableApiServer;
import io.pivotctl.testing.TestApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target's kube-apiserver process is SIGKILLed in the middle of an import and started again later (its
 * etcd keeps the data, as on a real control-plane node). Default: the import fails, waits for the server and
 * rolls back completely. With --no-rollback: the import fails, keeps its journal, and --resume finishes it;
 * verify then finds the target equal to the archive, with no duplicate and no orphan.
 */
class ApiServerRestartIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withCrds(CrdSet.upstreamOrFixtures())
            .withFleet(Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("c1", 3, 12)), 2))
            // the namespace exists on the target beforehand, so no rollback removes it and every test finds it
            .withTargetNamespace("metal3")
            // each test starts from a target without archived objects or journals, its twin apiserver running: any order works
            .withTargetResetBeforeEach();

    @TempDir
    static Path dir;

    static RestartableApiServer twin;
    static Path identity;
    static Path archive;
    static Map<String, Integer> archivedPerKind;

    @BeforeAll
    static void setUp() throws Exception {
        identity = servers.key().identity();
        archive = servers.key().exportMetal3(servers.source(), dir.resolve("a.tar.gz"));
        archivedPerKind = perKind(servers.source());
        twin = RestartableApiServer.twinOf(servers.target(), dir);
    }

    @AfterAll
    static void tearDown() {
        if (twin != null) {
            twin.close();
        }
    }

    @Test
    void killedMidImportTheImportWaitsForTheServerAndRollsBackCompletely() throws Exception {
        Cli.Running run = Cli.start("import", archive.toString(), "--kubeconfig", twin.kubeconfig().toString(), "--identity", identity.toString());
        int createsBeforeKill = killAfterCreates(40);
        // down until pivotctl has spent its retry budget (7 attempts, about 6 to 11 s), failed, and waits to roll back
        run.awaitErr("waiting up to 120s for it to come back", Duration.ofMinutes(2));
        twin.start();
        Cli.Result r = run.get(5, TimeUnit.MINUTES);
        assertTrue(createsBeforeKill >= 40, "killed mid-import, after " + createsBeforeKill + " creates");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("rolling back"), r.err());
        assertTrue(r.err().contains("waiting up to 120s for it to come back"), r.err());
        assertFalse(r.err().contains("could NOT be rolled back"), r.err());
        assertEquals(Map.of(), perKind(servers.target()), "no object of the archive is left on the target");
        assertEquals(0, journals().size(), "a complete rollback removes its journal");
    }

    @Test
    void killedMidImportWithNoRollbackTheResumeFinishesWithoutDuplicatesOrOrphans() throws Exception {
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run("import", archive.toString(),
                "--kubeconfig", twin.kubeconfig().toString(), "--identity", identity.toString(), "--no-rollback"));
        killAfterCreates(40);
        Cli.Result r = run.get(5, TimeUnit.MINUTES); // fails once the retry budget is spent, while the server is still down
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--no-rollback: what was created stays") && r.err().contains("--resume"), r.err());
        assertEquals(1, journals().size(), "the journal is kept");
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(journals().get(0)));
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(journals().get(0).getParent()));
        Map<String, Integer> partial = perKind(servers.target());
        assertFalse(partial.isEmpty(), "the interrupted run left its work in place");
        assertTrue(!partial.equals(archivedPerKind), "the interrupted run did not finish: " + partial);

        twin.start();
        Cli.Result resumed = Cli.run("import", archive.toString(), "--kubeconfig", twin.kubeconfig().toString(), "--identity",
                identity.toString(), "--resume");
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertTrue(resumed.err().contains("resuming from journal"), resumed.err());
        assertEquals(archivedPerKind, perKind(servers.target()), "every archived object exactly once: no duplicate, no orphan");
        Cli.Result v = Cli.run("verify", archive.toString(), "--kubeconfig", servers.target().kubeconfig().toString(), "--identity",
                identity.toString());
        assertEquals(0, v.exitCode(), v.toString());
        assertTrue(v.out().contains("0 difference(s)"), v.out());
        assertEquals(0, journals().size());
    }

    /** Waits until the running import has journaled {@code creates} creates, then SIGKILLs the twin apiserver. */
    static int killAfterCreates(int creates) throws InterruptedException {
        int n = ImportWatch.awaitCreates(home(), creates, () -> true);
        twin.kill();
        return n;
    }

    static Path home() {
        return servers.home();
    }

    static List<Path> journals() {
        return ImportWatch.journals(home());
    }

    static Map<String, Integer> perKind(TestApiServer s) {
        return ImportWatch.perKind(s, "metal3");
    }
}

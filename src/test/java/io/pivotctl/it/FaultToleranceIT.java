package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.IdentityFiles;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.Crds;
import io.pivotctl.testing.FaultProxy;
import io.pivotctl.testing.InventoryLoader;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.TestApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults between pivotctl and real apiservers, injected by a loopback proxy (not a mocked client):
 * transient errors are retried with backoff, permanent ones fail fast naming the object, an outage
 * mid-import is survived by --no-rollback then --resume.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {

    @TempDir
    static Path dir;

    static TestApiServer source;
    static TestApiServer target;
    static FaultProxy sourceProxy;
    static FaultProxy targetProxy;
    static Path sourceKc;
    static Path targetKc;
    static Path identity;
    static Path archive;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("pivotctl.home", dir.resolve("home").toString());
        int sp = TestApiServer.freePort();
        source = TestApiServer.start(sp);
        int tp = TestApiServer.freePort();
        target = TestApiServer.start(tp);
        Crds.installPreferUpstream(source.client());
        Crds.installPreferUpstream(target.client());
        List<ObjectNode> inv = Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("c1", 1, 2)), 1);
        InventoryLoader.load(source.kubeconfig(), inv, 8);
        sourceProxy = new FaultProxy(sp);
        targetProxy = new FaultProxy(tp);
        sourceKc = sourceProxy.kubeconfig(dir);
        targetKc = targetProxy.kubeconfig(dir);
        AgeIdentity id = AgeIdentity.generate();
        identity = dir.resolve("key.txt");
        IdentityFiles.writeNew(identity, id.toIdentityFile(Instant.now()).getBytes(StandardCharsets.UTF_8));
        archive = dir.resolve("a.tar.gz");
        Files.writeString(dir.resolve("recipient"), id.recipient());
    }

    @AfterAll
    static void stop() {
        sourceProxy.close();
        targetProxy.close();
        target.close();
        source.close();
    }

    @AfterEach
    void clear() {
        sourceProxy.clearRules();
        targetProxy.clearRules();
        targetProxy.setDown(false);
    }

    static String recipient() throws Exception {
        return Files.readString(dir.resolve("recipient"));
    }

    @Test
    @Order(1)
    void exportRetriesTransientErrorsAndDroppedConnections() throws Exception {
        sourceProxy.add(FaultProxy.Rule.status("GET", "/baremetalhosts", 503, 2))
                .add(FaultProxy.Rule.status("GET", "/secrets", 500, 1))
                .add(FaultProxy.Rule.status("GET", "/machines", 429, 2))
                .add(FaultProxy.Rule.drop("GET", "/metal3machines", 1));
        Cli.Result r = Cli.run("export", "--kubeconfig", sourceKc.toString(), "-n", "metal3", "-o", archive.toString(), "--recipient", recipient(), "-q");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(sourceProxy.count("GET", "/baremetalhosts") >= 3, "two 503s then success");
        assertTrue(sourceProxy.count("GET", "/metal3machines") >= 2, "dropped connection retried");
        assertEquals(0, Cli.run("validate", archive.toString(), "--identity", identity.toString()).exitCode());
    }

    @Test
    @Order(2)
    void forbiddenListFailsFastNamingVerbAndResource() throws Exception {
        sourceProxy.add(FaultProxy.Rule.status("GET", "/baremetalhosts", 403, 100));
        Path out = dir.resolve("forbidden.tar.gz");
        Cli.Result r = Cli.run("export", "--kubeconfig", sourceKc.toString(), "-n", "metal3", "-o", out.toString(), "--recipient", recipient(), "-q");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("forbidden (403): cannot list baremetalhosts.metal3.io in namespace metal3"), r.err());
        assertEquals(1, sourceProxy.count("GET", "/baremetalhosts"), "a permanent error is not retried");
        assertFalse(Files.exists(out));
    }

    @Test
    @Order(3)
    void importRejectedByAdmissionFailsPreflightWithoutRetrying() {
        targetProxy.add(FaultProxy.Rule.status("POST", "/hardwaredata", 422, 100));
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", targetKc.toString(), "--identity", identity.toString());
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("HardwareData.metal3.io metal3/c1-node-0: the target rejects it (dry run)"), r.err());
        assertEquals(3, targetProxy.count("POST", "/hardwaredata"), "one dry run per host, no retries");
        assertEquals(0, target.client().secrets().inNamespace("metal3").list().getItems().size());
    }

    @Test
    @Order(4)
    void importRetries429With_RetryAfterAnd5xxAndSucceeds() {
        targetProxy.add(FaultProxy.Rule.status("POST", "/baremetalhosts", 429, 3))
                .add(FaultProxy.Rule.status("PUT", "/status", 503, 2))
                .add(FaultProxy.Rule.drop("POST", "/secrets", 1));
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", targetKc.toString(), "--identity", identity.toString(), "-q");
        assertEquals(0, r.exitCode(), r.toString());
        Cli.Result v = Cli.run("verify", archive.toString(), "--kubeconfig", target.kubeconfig().toString(), "--identity", identity.toString());
        assertEquals(0, v.exitCode(), v.toString());
        assertTrue(targetProxy.count("POST", "/baremetalhosts") >= 3 + 3 + 3, "3 hosts: dry runs, 3 x 429, creates");
    }

    @Test
    @Order(5)
    void anOutageMidImportIsSurvivedWithNoRollbackThenResume() throws Exception {
        // a fresh namespace on the target would conflict with the previous test's objects: clear it first
        Cli.Result clean = Cli.run("import", archive.toString(), "--kubeconfig", targetKc.toString(), "--identity", identity.toString(), "--dry-run");
        assertEquals(3, clean.exitCode(), "objects from the previous test exist: preflight reports conflicts");
        for (String kind : List.of("secrets", "configmaps")) {
            target.client().genericKubernetesResources("v1", kind.equals("secrets") ? "Secret" : "ConfigMap").inNamespace("metal3").delete();
        }
        for (var crd : target.client().apiextensions().v1().customResourceDefinitions().list().getItems()) {
            String v = crd.getSpec().getVersions().stream().filter(x -> x.getStorage()).findFirst().orElseThrow().getName();
            var ops = target.client().genericKubernetesResources(crd.getSpec().getGroup() + "/" + v, crd.getSpec().getNames().getKind()).inNamespace("metal3");
            for (var o : ops.list().getItems()) {
                o.getMetadata().setFinalizers(List.of());
                ops.resource(o).delete();
            }
        }
        // the apiserver becomes unreachable once the first Machine is created, for longer than the retry budget
        Thread outage = new Thread(() -> {
            while (targetProxy.count("POST", "/machines") < 6) { // 3 dry runs + first real creates
                sleep(20);
            }
            targetProxy.setDown(true);
            sleep(25_000);
            targetProxy.setDown(false);
        });
        outage.start();
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", targetKc.toString(), "--identity", identity.toString(), "--no-rollback", "-q");
        outage.join();
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--resume"), r.err());
        Cli.Result resumed = Cli.run("import", archive.toString(), "--kubeconfig", targetKc.toString(), "--identity", identity.toString(), "--resume", "-q");
        assertEquals(0, resumed.exitCode(), resumed.toString());
        Cli.Result v = Cli.run("verify", archive.toString(), "--kubeconfig", target.kubeconfig().toString(), "--identity", identity.toString());
        assertEquals(0, v.exitCode(), v.toString());
        // no duplicates: names are unique per namespace, and verify checked every archived object once
        assertTrue(v.out().contains("0 difference(s)"), v.out());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

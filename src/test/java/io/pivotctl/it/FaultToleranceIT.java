package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.FaultProxy;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.TestApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults between pivotctl and real apiservers, injected by a loopback proxy (not a mocked client):
 * transient errors are retried with backoff, permanent ones fail fast naming the object. The apiserver dying
 * mid-import is {@link ApiServerRestartIT}.
 */
class FaultToleranceIT {

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withCrds(CrdSet.upstreamOrFixtures())
            .withFleet(Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("c1", 1, 2)), 1)).withProxiedSource().withProxiedTarget();

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
    static void start() {
        source = servers.source();
        target = servers.target();
        sourceProxy = servers.sourceProxy();
        targetProxy = servers.targetProxy();
        sourceKc = sourceProxy.kubeconfig();
        targetKc = targetProxy.kubeconfig();
        identity = servers.key().identity();
        archive = dir.resolve("a.tar.gz");
    }

    /** An archive exported without faults, for the import tests (made once, by whichever test needs it first). */
    static synchronized Path cleanArchive() throws Exception {
        Path clean = dir.resolve("clean.tar.gz");
        if (!Files.exists(clean)) {
            Cli.Result r = Cli.run("export", "--kubeconfig", source.kubeconfig().toString(), "-n", "metal3", "-o", clean.toString(), "--recipient",
                    recipient(), "-q");
            assertEquals(0, r.exitCode(), r.toString());
        }
        return clean;
    }

    static String recipient() {
        return servers.key().recipient();
    }

    @Test
    void exportRetriesTransientErrorsAndDroppedConnections() throws Exception {
        sourceProxy.add(FaultProxy.Rule.status("GET", "/baremetalhosts", 503, 2))
                .add(FaultProxy.Rule.status("GET", "/secrets", 500, 1))
                .add(FaultProxy.Rule.status("GET", "/machines", 429, 2))
                .add(FaultProxy.Rule.drop("GET", "/metal3machines", 1));
        Cli.Result r = Cli.run("export", "--kubeconfig", sourceKc.toString(), "-n", "metal3", "-o", archive.toString(), "--recipient", recipient());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("retrying list baremetalhosts.metal3.io in namespace metal3 after HTTP 503 (attempt 2 of 7"), r.err());
        assertTrue(r.err().contains("retrying list machines.cluster.x-k8s.io in namespace metal3 after HTTP 429"), r.err());
        assertTrue(sourceProxy.count("GET", "/baremetalhosts") >= 3, "two 503s then success");
        assertTrue(sourceProxy.count("GET", "/metal3machines") >= 2, "dropped connection retried");
        assertEquals(0, Cli.run("validate", archive.toString(), "--identity", identity.toString()).exitCode());
    }

    @Test
    void forbiddenListFailsFastNamingVerbAndResource() throws Exception {
        sourceProxy.add(FaultProxy.Rule.status("GET", "/baremetalhosts", 403, 100));
        int before = sourceProxy.count("GET", "/baremetalhosts");
        Path out = dir.resolve("forbidden.tar.gz");
        Cli.Result r = Cli.run("export", "--kubeconfig", sourceKc.toString(), "-n", "metal3", "-o", out.toString(), "--recipient", recipient(), "-q");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("forbidden (403): cannot list baremetalhosts.metal3.io in namespace metal3"), r.err());
        assertEquals(before + 1, sourceProxy.count("GET", "/baremetalhosts"), "a permanent error is not retried");
        assertFalse(Files.exists(out));
    }

    @Test
    void importRejectedByAdmissionFailsPreflightWithoutRetrying() throws Exception {
        servers.resetTarget();
        Path archive = cleanArchive();
        boolean namespaceBefore = target.client().namespaces().withName("metal3").get() != null;
        targetProxy.add(FaultProxy.Rule.status("POST", "/hardwaredata", 422, 100));
        int hosts = source.client().genericKubernetesResources("metal3.io/v1alpha1", "HardwareData").inNamespace("metal3").list().getItems().size();
        int before = targetProxy.count("POST", "/hardwaredata");
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", targetKc.toString(), "--identity", identity.toString());
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("HardwareData.metal3.io metal3/c1-node-0: the target rejects it (dry run)"), r.err());
        assertEquals(before + hosts, targetProxy.count("POST", "/hardwaredata"), "one dry run per host, no retries");
        assertEquals(namespaceBefore, target.client().namespaces().withName("metal3").get() != null, "nothing written, not even the namespace");

        // missing permission to create: named with verb, object and the fix, before anything is written
        targetProxy.clearRules();
        targetProxy.add(FaultProxy.Rule.status("POST", "/secrets", 403, 1000));
        Cli.Result forbidden = Cli.run("import", archive.toString(), "--kubeconfig", targetKc.toString(), "--identity", identity.toString());
        assertEquals(3, forbidden.exitCode(), forbidden.toString());
        assertTrue(forbidden.err().contains("Secret metal3/c1-ca: the target rejects it (dry run): forbidden (403): cannot create Secret metal3/c1-ca:"
                + " grant the 'create' permission on it to the kubeconfig user"), forbidden.err());
        assertEquals(namespaceBefore, target.client().namespaces().withName("metal3").get() != null);
    }

    @Test
    void importRetries429With_RetryAfter5xxAndLostAnswersAndSucceeds() throws Exception {
        servers.resetTarget();
        Path archive = cleanArchive();
        // lost answers: the server carried the create / status write out, the client never heard: the retry must not fail
        FaultProxy.Rule lostCreates = FaultProxy.Rule.loseAnswer("POST", "/machines", 2);
        FaultProxy.Rule lostStatus = FaultProxy.Rule.loseAnswer("PUT", "/status", 2);
        targetProxy.add(FaultProxy.Rule.status("POST", "/baremetalhosts", 429, 3))
                .add(FaultProxy.Rule.status("PUT", "/status", 503, 2))
                .add(FaultProxy.Rule.drop("POST", "/secrets", 1))
                .add(lostCreates)
                .add(lostStatus);
        Cli.Result r = Cli.run("import", archive.toString(), "--kubeconfig", targetKc.toString(), "--identity", identity.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(2, lostCreates.injected().get(), "two creates whose answers were lost");
        assertEquals(2, lostStatus.injected().get(), "two status writes whose answers were lost");
        assertTrue(java.util.regex.Pattern.compile("retrying create( \\(dry run\\))? baremetalhosts\\.metal3\\.io \\S+/\\S+ after HTTP 429")
                .matcher(r.err()).find(), r.err());
        Cli.Result v = Cli.run("verify", archive.toString(), "--kubeconfig", target.kubeconfig().toString(), "--identity", identity.toString());
        assertEquals(0, v.exitCode(), v.toString());
        assertTrue(targetProxy.count("POST", "/baremetalhosts") >= 3 + 3 + 3, "3 hosts: dry runs, 3 x 429, creates");
    }
}

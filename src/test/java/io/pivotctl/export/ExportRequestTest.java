package io.pivotctl.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.kube.KubeTarget;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.storage.LocalArchive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The export request and summary are built by name: each named value lands in its own field, the rest take the documented defaults. */
class ExportRequestTest {

    private static final KubeTarget TARGET = new KubeTarget(Path.of("src.kubeconfig"), null, 4, 0);
    private static final LocalArchive OUT = new LocalArchive(Path.of("mgmt.tar.gz"));

    @Test
    void defaultsAreThoseOfAPlainExport() {
        ExportRequest req = ExportRequest.of(TARGET, OUT).build();

        assertSame(TARGET, req.target());
        assertSame(OUT, req.output());
        assertEquals(List.of(), req.namespaces());
        assertFalse(req.allNamespaces());
        assertEquals(List.of(), req.clusters());
        assertEquals(List.of(), req.recipients());
        assertNull(req.passphrase());
        assertEquals(new LeaseSource.None(), req.leases());
        assertFalse(req.pause());
        assertTrue(req.includeCrds(), "CRDs are included unless --no-crds");
        assertEquals(Optional.empty(), req.signKey());
        assertEquals(ExportRequest.DEFAULT_SCRYPT_WORK_FACTOR, req.scryptWorkFactor());
        assertEquals(Pauser.DEFAULT_BLOCK_MOVE_TIMEOUT, req.blockMoveTimeout());
    }

    @Test
    void everyNamedValueLandsInItsField() {
        char[] passphrase = "correct horse".toCharArray();
        LeaseSource leases = new LeaseSource.ConfigMap("metal3", "dnsmasq-leases-configmap");

        ExportRequest req = ExportRequest.of(TARGET, OUT).namespaces(List.of("metal3", "capi-system")).allNamespaces(true)
                .clusters(List.of("prod-a")).recipients(List.of("age1example")).passphrase(passphrase).leases(leases).pause(true)
                .includeCrds(false).signKey(Path.of("sign.key")).scryptWorkFactor(10).blockMoveTimeout(Duration.ofSeconds(90)).build();

        assertEquals(List.of("metal3", "capi-system"), req.namespaces());
        assertTrue(req.allNamespaces());
        assertEquals(List.of("prod-a"), req.clusters());
        assertEquals(List.of("age1example"), req.recipients());
        assertSame(passphrase, req.passphrase(), "the caller's array, so the caller can clear it");
        assertEquals(leases, req.leases());
        assertTrue(req.pause());
        assertFalse(req.includeCrds());
        assertEquals(Optional.of(Path.of("sign.key")), req.signKey());
        assertEquals(10, req.scryptWorkFactor());
        assertEquals(Duration.ofSeconds(90), req.blockMoveTimeout());
        assertFalse(req.toString().contains("correct horse"), req.toString());
    }

    @Test
    void anUnsetSignKeyStaysUnsigned() {
        assertEquals(Optional.empty(), ExportRequest.of(TARGET, OUT).signKey(null).build().signKey());
    }

    @Test
    void theSummaryTakesEachCountByName() {
        LeftOut left = new LeftOut("Secret", ExportSelection.NOT_REFERENCED, List.of(new ObjectId("", "Secret", "metal3", "other")));
        ExportSummary summary = ExportSummary.of(OUT, null).objectsPerKind(java.util.Map.of("BareMetalHost.metal3.io", 3, "Secret", 2))
                .secretsEncrypted(2).leases(7).pausedByUs(List.of("Cluster.cluster.x-k8s.io metal3/prod-a")).warnings(List.of("w"))
                .leftOut(List.of(left)).millis(1234).build();

        assertEquals(5, summary.objectCount());
        assertEquals(2, summary.secretsEncrypted());
        assertEquals(7, summary.leases());
        assertEquals(List.of("Cluster.cluster.x-k8s.io metal3/prod-a"), summary.pausedByUs());
        assertEquals(List.of("w"), summary.warnings());
        assertEquals(List.of(left), summary.leftOut());
        assertEquals(1234, summary.millis());
    }
}

package io.pivotctl.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ObjectPreparerTest {

    static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) Json.YAML.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final ObjectNode HOST = yaml("""
            apiVersion: metal3.io/v1alpha1
            kind: BareMetalHost
            metadata:
              name: h0
              namespace: m3
              uid: old-host
              resourceVersion: "42"
              creationTimestamp: "2026-01-01T00:00:00Z"
              generation: 3
              managedFields: [{manager: x}]
              ownerReferences:
              - {apiVersion: cluster.x-k8s.io/v1beta2, kind: Machine, name: m-0, uid: old-machine}
              - {apiVersion: ipam.cluster.x-k8s.io/v1beta2, kind: GlobalInClusterIPPool, name: pool, uid: old-pool}
            spec: {online: true}
            status: {provisioning: {state: provisioned}}
            """);

    static final ObjectNode CLUSTER = yaml("""
            apiVersion: cluster.x-k8s.io/v1beta2
            kind: Cluster
            metadata: {name: c, namespace: m3, uid: old-cluster}
            spec: {paused: false}
            """);

    /** old-machine was restored by the run; old-pool's owner exists on the target only as "target-pool" when {@code poolOnTarget}. */
    static ObjectPreparer.Owners owners(boolean poolOnTarget) {
        return (ref, ns) -> switch (ref.path("uid").asText()) {
            case "old-machine" -> Optional.of("new-machine");
            case "old-pool" -> poolOnTarget ? Optional.of("target-pool") : Optional.empty();
            default -> Optional.empty();
        };
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("owners restored or on the target are pointed at their target UIDs", HOST, true,
                        List.of("new-machine", "target-pool"), List.of()),
                Arguments.of("an owner nowhere is dropped with a warning naming both objects", HOST, false,
                        List.of("new-machine"), List.of("BareMetalHost.metal3.io m3/h0: ownerReference to GlobalInClusterIPPool pool dropped"
                                + " (the owner is neither restored by this import nor on the target)")),
                Arguments.of("no ownerReferences stay none", CLUSTER, true, List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void preparesTheCreateBody(String name, ObjectNode archived, boolean poolOnTarget, List<String> ownerUids, List<String> warnings) {
        List<String> warned = new ArrayList<>();
        ObjectNode body = ObjectPreparer.forCreate(archived, owners(poolOnTarget), "archive-1", true, warned::add);

        List<String> uids = new ArrayList<>();
        body.path("metadata").path("ownerReferences").forEach(r -> uids.add(r.path("uid").asText()));
        assertEquals(ownerUids, uids);
        assertEquals(warnings, warned);
        for (String serverField : ObjectPreparer.SERVER_FIELDS) {
            assertFalse(body.path("metadata").has(serverField), serverField + " is the server's");
        }
        assertFalse(body.has("status"), "status goes through /status after the create");
        assertEquals("archive-1", body.path("metadata").path("annotations").path(PivotctlMarks.RESTORED_FROM).asText());
        assertTrue(archived.path("metadata").has("uid"), "the archived object is not changed");
    }

    static Stream<Arguments> pausing() {
        ObjectNode pausedHost = HOST.deepCopy();
        pausedHost.with("metadata").with("annotations").put(Metal3.HOST_PAUSED, "someone");
        return Stream.of(
                Arguments.of("a host is created paused by pivotctl", HOST, Map.of(Metal3.HOST_PAUSED, PivotctlMarks.PAUSED_BY_PIVOTCTL)),
                Arguments.of("a host paused in the archive keeps its own pause", pausedHost, Map.of(Metal3.HOST_PAUSED, "someone")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pausing")
    void hostsAreCreatedPaused(String name, ObjectNode archived, Map<String, String> expected) {
        ObjectNode body = ObjectPreparer.forCreate(archived, owners(true), "a", false, w -> { });
        expected.forEach((k, v) -> assertEquals(v, body.path("metadata").path("annotations").path(k).asText()));
        assertFalse(body.path("metadata").path("annotations").has(PivotctlMarks.RESTORED_FROM), "marked restored only when asked");
    }

    @org.junit.jupiter.api.Test
    void clustersAreCreatedPausedAndStatusIsKnownByContent() {
        assertTrue(ObjectPreparer.forCreate(CLUSTER, owners(true), "a", false, w -> { }).path("spec").path("paused").asBoolean());
        assertTrue(io.pivotctl.kube.ObjectFields.hasStatus(HOST));
        assertFalse(io.pivotctl.kube.ObjectFields.hasStatus(CLUSTER));
        assertFalse(io.pivotctl.kube.ObjectFields.hasStatus(yaml("status: {}")));
        ObjectNode created = CLUSTER.deepCopy();
        assertEquals(HOST.get("status"), ObjectPreparer.forStatus(created, HOST).get("status"));
    }
}

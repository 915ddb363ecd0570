package io.pivotctl.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.Manifest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pause state verify expects is the state import leaves: every case of archived value x pausedByExport x --expect-paused. */
class PauseCheckTest {

    static final String PAUSED = "baremetalhost.metal3.io/paused";
    static final String HOST_ID = "metal3.io/BareMetalHost/metal3/h";
    static final String CLUSTER_ID = "cluster.x-k8s.io/Cluster/metal3/c";

    static ArchivedObject host(String pausedValue) {
        ObjectNode o = Json.MAPPER.valueToTree(Map.of("apiVersion", "metal3.io/v1alpha1", "kind", "BareMetalHost",
                "metadata", pausedValue == null ? Map.of("name", "h", "namespace", "metal3")
                        : Map.of("name", "h", "namespace", "metal3", "annotations", Map.of(PAUSED, pausedValue))));
        return new ArchivedObject(new Manifest.Entry("objects/x.yaml", "object", "metal3.io", "v1alpha1", "BareMetalHost", "baremetalhosts",
                "metal3", "h", 0, "", false, false), o);
    }

    static ArchivedObject cluster(boolean paused) {
        ObjectNode o = Json.MAPPER.valueToTree(Map.of("apiVersion", "cluster.x-k8s.io/v1beta2", "kind", "Cluster",
                "metadata", Map.of("name", "c", "namespace", "metal3"), "spec", Map.of("paused", paused)));
        return new ArchivedObject(new Manifest.Entry("objects/y.yaml", "object", "cluster.x-k8s.io", "v1beta2", "Cluster", "clusters",
                "metal3", "c", 0, "", false, false), o);
    }

    static ObjectNode live(ArchivedObject archived, String pausedValue, Boolean specPaused) {
        ObjectNode l = archived.object().deepCopy();
        l.with("metadata").remove("annotations");
        if (pausedValue != null) {
            l.with("metadata").with("annotations").put(PAUSED, pausedValue);
        }
        if (specPaused != null) {
            l.with("spec").put("paused", specPaused);
        }
        return l;
    }

    @Test
    void hostsMatchWhatImportLeaves() {
        PauseCheck plain = new PauseCheck(List.of(), false);
        PauseCheck forTheMove = new PauseCheck(List.of(HOST_ID), false);
        PauseCheck keepPaused = new PauseCheck(List.of(HOST_ID), true);
        // export paused it for the move: import lifts it
        assertEquals(Optional.empty(), forTheMove.difference(host("pivotctl"), live(host("pivotctl"), null, null)));
        assertTrue(forTheMove.difference(host("pivotctl"), live(host("pivotctl"), "pivotctl", null)).orElseThrow().contains("expected none"));
        // someone else's pause travels and stays
        assertEquals(Optional.empty(), plain.difference(host("metal3.io/capm3"), live(host("metal3.io/capm3"), "metal3.io/capm3", null)));
        assertTrue(plain.difference(host("metal3.io/capm3"), live(host("metal3.io/capm3"), null, null)).orElseThrow().contains("is missing"));
        assertTrue(plain.difference(host("metal3.io/capm3"), live(host("metal3.io/capm3"), "pivotctl", null)).orElseThrow().contains("another value"));
        // an unpaused host must stay unpaused, whatever the value of a pause (an empty one pauses too)
        assertTrue(plain.difference(host(null), live(host(null), "", null)).orElseThrow().contains("is set"));
        // --keep-paused: import leaves pivotctl's pause, or the archived one
        assertEquals(Optional.empty(), keepPaused.difference(host("pivotctl"), live(host("pivotctl"), "pivotctl", null)));
        assertEquals(Optional.empty(), new PauseCheck(List.of(), true).difference(host(null), live(host(null), "pivotctl", null)));
        assertTrue(keepPaused.difference(host("pivotctl"), live(host("pivotctl"), null, null)).isPresent());
    }

    @Test
    void clustersMatchWhatImportLeaves() {
        PauseCheck plain = new PauseCheck(List.of(), false);
        PauseCheck forTheMove = new PauseCheck(List.of(CLUSTER_ID), false);
        assertEquals(Optional.empty(), forTheMove.difference(cluster(true), live(cluster(true), null, false)));
        assertTrue(forTheMove.difference(cluster(true), live(cluster(true), null, true)).orElseThrow().contains("spec.paused is true, expected false"));
        assertEquals(Optional.empty(), plain.difference(cluster(true), live(cluster(true), null, true)), "paused in the archive by someone else: stays");
        assertTrue(plain.difference(cluster(false), live(cluster(false), null, true)).isPresent());
        assertEquals(Optional.empty(), new PauseCheck(List.of(CLUSTER_ID), true).difference(cluster(true), live(cluster(true), null, true)));
        assertTrue(new PauseCheck(List.of(), true).difference(cluster(false), live(cluster(false), null, false)).isPresent());
    }
}

package io.pivotctl.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.graph.ObjectId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What decides a skipped dry run, short of a server: unknown admission facts, other kinds, new namespaces, every-object. */
class DryRunsTest {

    static final ObjectId SECRET = new ObjectId("", "Secret", "metal3", "node-0-bmc-secret");

    static ObjectNode bmcSecret() {
        ObjectNode s = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Secret").put("type", "Opaque");
        s.with("metadata").put("name", SECRET.name()).put("namespace", "metal3");
        s.with("data").put("username", "YWRtaW4=");
        return s;
    }

    @Test
    void whenTheAdmissionConfigurationCouldNotBeReadEverySecretKeepsItsDryRunAndThePlanSaysWhy() {
        DryRuns d = new DryRuns(DryRuns.Scope.NEEDED, AdmissionFacts.unknown("the target's admission configuration could not be read (403)"));
        assertFalse(d.skip(SECRET, bmcSecret(), true));
        DryRuns.Tally t = d.tally();
        assertEquals(1, t.run());
        assertEquals(0, t.skipped());
        assertEquals(Map.of("the target's admission configuration could not be read (403)", 1), t.keptBecause());
        assertTrue(DryRuns.describe(t).contains("1 core Secret(s)/ConfigMap(s) dry-run: the target's admission configuration could not be read"));
    }

    @Test
    void otherKindsNewNamespacesAndEveryObjectKeepTheirDryRuns() {
        DryRuns d = new DryRuns(DryRuns.Scope.NEEDED, AdmissionFacts.unknown("unused"));
        ObjectNode host = Json.MAPPER.createObjectNode().put("apiVersion", "metal3.io/v1alpha1").put("kind", "BareMetalHost");
        assertFalse(d.skip(new ObjectId("metal3.io", "BareMetalHost", "metal3", "node-0"), host, true));
        assertFalse(d.skip(SECRET, bmcSecret(), false), "a namespace the import creates: the dry run goes to a stand-in");
        assertEquals(2, d.tally().run());
        assertEquals(Map.of("its namespace is created by the import", 1), d.tally().keptBecause(), "only core objects are explained");

        DryRuns every = new DryRuns(DryRuns.Scope.EVERY_OBJECT, AdmissionFacts.unknown("unused"));
        assertFalse(every.skip(SECRET, bmcSecret(), true));
        assertEquals(Map.of(), every.tally().keptBecause(), "every-object needs no explanation per object");
    }
}

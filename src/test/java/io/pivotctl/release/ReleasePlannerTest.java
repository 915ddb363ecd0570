package io.pivotctl.release;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** "Changed since export" compares what the object says, not how it was serialised, and never metadata or status. */
class ReleasePlannerTest {

    @Test
    void keyOrderNumberWidthMetadataAndStatusAreNotChanges() throws Exception {
        ObjectNode archived = (ObjectNode) Json.YAML.readTree("""
                apiVersion: metal3.io/v1alpha1
                kind: BareMetalHost
                metadata: {name: h, annotations: {baremetalhost.metal3.io/paused: pivotctl}}
                spec: {online: true, bootMACAddress: "52:54:00:12:34:56", rootDeviceHints: {minSizeGigabytes: 100}}
                status: {operationalStatus: OK}
                """);
        ObjectNode live = (ObjectNode) Json.MAPPER.readTree("""
                {"kind": "BareMetalHost", "apiVersion": "metal3.io/v1alpha1",
                 "metadata": {"name": "h", "annotations": {"baremetalhost.metal3.io/detached": ""}},
                 "spec": {"rootDeviceHints": {"minSizeGigabytes": 100}, "bootMACAddress": "52:54:00:12:34:56", "online": true},
                 "status": {"operationalStatus": "detached"}}
                """);
        live.with("spec").with("rootDeviceHints").put("minSizeGigabytes", 100L);
        assertEquals(List.of(), ReleasePlanner.changedFields(archived, live));
    }

    @Test
    void aChangedSpecAnAddedFieldAndChangedSecretDataAreNamedWithoutValues() throws Exception {
        ObjectNode archived = (ObjectNode) Json.MAPPER.readTree("""
                {"kind": "Secret", "type": "Opaque", "data": {"password": "b2xk"}, "spec": {"online": true}}""");
        ObjectNode live = (ObjectNode) Json.MAPPER.readTree("""
                {"kind": "Secret", "type": "Opaque", "data": {"password": "bmV3"}, "spec": {"online": false}, "immutable": true}""");
        assertEquals(List.of("data", "immutable", "spec"), ReleasePlanner.changedFields(archived, live));
    }
}

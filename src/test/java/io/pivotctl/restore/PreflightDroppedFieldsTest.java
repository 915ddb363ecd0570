package io.pivotctl.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.kube.ResourceType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Preflight reads the dry run's answer: fields the target's schema would prune are reported before anything is written. */
class PreflightDroppedFieldsTest {

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> cases() {
        String host = "{\"apiVersion\":\"metal3.io/v1alpha1\",\"kind\":\"BareMetalHost\",\"metadata\":{\"name\":\"h0\",\"namespace\":\"m3\"},";
        return Stream.of(
                Arguments.of("nothing dropped", host + "\"spec\":{\"online\":true}}", host + "\"spec\":{\"online\":true}}", List.of()),
                Arguments.of("an unknown spec field pruned", host + "\"spec\":{\"online\":true,\"madeUp\":1}}", host + "\"spec\":{\"online\":true}}",
                        List.of("BareMetalHost.metal3.io m3/h0: the target drops spec.madeUp (unknown to its schema); check the provider versions")),
                Arguments.of("a defaulted field is no loss", host + "\"spec\":{\"online\":true}}", host + "\"spec\":{\"online\":true,\"extra\":\"default\"}}",
                        List.of()),
                Arguments.of("a nested field pruned", host + "\"spec\":{\"bmc\":{\"address\":\"x\",\"old\":true}}}",
                        host + "\"spec\":{\"bmc\":{\"address\":\"x\"}}}",
                        List.of("BareMetalHost.metal3.io m3/h0: the target drops spec.bmc.old (unknown to its schema); check the provider versions")),
                Arguments.of("metadata and status are not judged", host + "\"spec\":{},\"status\":{\"a\":1}}", host + "\"spec\":{}}", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsWhatTheTargetWouldDrop(String name, String sent, String stored, List<String> expected) {
        ObjectNode body = json(sent);
        PlannedObject p = new PlannedObject(new ArchivedObject(io.pivotctl.archive.Manifest.Entry.object(
                new io.pivotctl.archive.Manifest.Entry.ResourceKind("metal3.io", "v1alpha1", "BareMetalHost", "baremetalhosts"), "m3", "h0", false), body), new ResourceType("metal3.io", "v1alpha1", "BareMetalHost",
                "baremetalhosts", true, true), 0);
        assertEquals(expected, Preflight.droppedFields(p, body, json(stored)));
    }
}

package io.pivotctl.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.kube.ResourceType;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A namespace this run created is deleted only when every resource type in it could be listed and none holds anything
 * else: a type the rollback may not list (403) may hold someone's objects, which the namespace controller would delete
 * with the namespace. A type without a list (405) or no longer served (404) holds nothing.
 */
class NamespaceInventoryTest {

    private static final ResourceType BINDINGS = new ResourceType("", "v1", "Binding", "bindings", true, false);
    private static final ResourceType WIDGETS = new ResourceType("example.io", "v1", "Widget", "widgets", true, false);

    private final FakeResourceApi target = new FakeResourceApi();
    private final List<ResourceType> types = List.of(ResourceType.CONFIG_MAP, ResourceType.SECRET, BINDINGS, WIDGETS);

    @Test
    void aTypeThatCouldNotBeListedKeepsTheNamespace() {
        target.put(ResourceType.CONFIG_MAP, "m3", "leases", "u1").with("metadata").putObject("labels").put(PivotctlMarks.IMPORT_RUN, "run-1");
        target.listRefused.put(ResourceType.SECRET.qualifiedResource(), 403);

        List<String> others = new NamespaceInventory(types, target).othersIn("m3", "run-1");

        assertEquals(1, others.size(), others.toString());
        assertTrue(others.get(0).startsWith("secrets (could not be listed: "), others.get(0));
        Rollback.Report report = new Rollback(target, Map.of(), new NamespaceInventory(types, target))
                .run(List.of(new Journal.Record(Journal.Op.NAMESPACE, "m3", "namespaces", null, "n1", -1)), Map.of(), new Rollback.Sweep("run-1", java.util.Set.of()));
        assertTrue(report.leftAlone().get(0).startsWith("namespace m3 (created by this import, but it now also holds secrets (could not be listed"),
                report.leftAlone().toString());
        assertTrue(target.calls.stream().noneMatch(c -> c.startsWith("delete namespaces")), target.calls.toString());
    }

    @Test
    void typesWithoutAListOrNoLongerServedHoldNothingAndOnlyThisRunsObjectsLeaveItEmpty() {
        target.put(ResourceType.CONFIG_MAP, "m3", "leases", "u1").with("metadata").putObject("labels").put(PivotctlMarks.IMPORT_RUN, "run-1");
        target.put(ResourceType.CONFIG_MAP, "m3", "kube-root-ca.crt", "u2");
        target.listRefused.put(BINDINGS.qualifiedResource(), 405);
        target.listRefused.put(WIDGETS.qualifiedResource(), 404);

        assertEquals(List.of(), new NamespaceInventory(types, target).othersIn("m3", "run-1"));

        target.put(ResourceType.SECRET, "m3", "theirs", "u3");
        assertEquals(List.of("Secret theirs"), new NamespaceInventory(types, target).othersIn("m3", "run-1"));
    }
}

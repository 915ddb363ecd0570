package io.pivotctl.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.kube.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Rollback's order and UID bookkeeping over a fake target: what it deletes, in which order, with which UID, and what it leaves alone. */
class RollbackTest {

    static final ResourceType CLUSTERS = new ResourceType("cluster.x-k8s.io", "v1beta2", "Cluster", "clusters", true, true);
    static final ResourceType MACHINES = new ResourceType("cluster.x-k8s.io", "v1beta2", "Machine", "machines", true, true);
    static final ResourceType POOLS = new ResourceType("ipam.cluster.x-k8s.io", "v1beta2", "GlobalInClusterIPPool", "globalinclusterippools", false, true);

    record Case(String name, List<Journal.Record> journal, Consumer<FakeResourceApi> target, List<String> others, List<String> deletes,
            List<String> undone, List<String> leftAlone, int failures) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Journal.Record create(ResourceType t, String ns, String name, String uid, int level) {
        String id = (t.group().isEmpty() ? "core" : t.group()) + "/" + t.kind() + "/" + (ns.isEmpty() ? "_cluster" : ns) + "/" + name;
        return new Journal.Record(Journal.Op.CREATE, id, t.qualifiedResource(), "old-" + uid, uid, level);
    }

    static Journal.Record namespace(String name, String uid) {
        return new Journal.Record(Journal.Op.NAMESPACE, name, "namespaces", null, uid, -1);
    }

    static Journal.Record crd(String name, String uid) {
        return new Journal.Record(Journal.Op.CRD, name, ResourceType.CRD.qualifiedResource(), null, uid, -1);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("dependents before owners, namespaces then CRDs last",
                        List.of(crd("clusters.cluster.x-k8s.io", "c1"), namespace("m3", "n1"), create(CLUSTERS, "m3", "a", "u1", 0),
                                create(MACHINES, "m3", "a-0", "u2", 1), create(POOLS, "", "pool", "u3", 0), create(MACHINES, "m3", "a-1", "u4", 1)),
                        t -> {
                            t.put(ResourceType.CRD, "", "clusters.cluster.x-k8s.io", "c1");
                            t.put(ResourceType.NAMESPACE, "", "m3", "n1");
                            t.put(CLUSTERS, "m3", "a", "u1");
                            t.put(MACHINES, "m3", "a-0", "u2");
                            t.put(POOLS, "", "pool", "u3");
                            t.put(MACHINES, "m3", "a-1", "u4");
                        }, List.of(),
                        List.of("machines.cluster.x-k8s.io m3/a-1 uid=u4 orphan", "machines.cluster.x-k8s.io m3/a-0 uid=u2 orphan",
                                "globalinclusterippools.ipam.cluster.x-k8s.io pool uid=u3 orphan", "clusters.cluster.x-k8s.io m3/a uid=u1 orphan",
                                "namespaces m3 uid=n1", "customresourcedefinitions.apiextensions.k8s.io clusters.cluster.x-k8s.io uid=c1"),
                        List.of("deleted Machine.cluster.x-k8s.io m3/a-1", "deleted Machine.cluster.x-k8s.io m3/a-0",
                                "deleted GlobalInClusterIPPool.ipam.cluster.x-k8s.io pool", "deleted Cluster.cluster.x-k8s.io m3/a",
                                "deleted Namespace m3", "deleted CustomResourceDefinition.apiextensions.k8s.io clusters.cluster.x-k8s.io"),
                        List.of(), 0),
                new Case("an object recreated under the same name is left alone",
                        List.of(create(CLUSTERS, "m3", "a", "u1", 0)),
                        t -> t.put(CLUSTERS, "m3", "a", "someone-elses"), List.of(),
                        List.of(), List.of(),
                        List.of("Cluster.cluster.x-k8s.io m3/a (an object of that name exists, but not the one this import created: UID differs)"), 0),
                new Case("an object already gone counts as undone",
                        List.of(create(CLUSTERS, "m3", "a", "u1", 0)), t -> { }, List.of(),
                        List.of(), List.of("deleted Cluster.cluster.x-k8s.io m3/a (already gone)"), List.of(), 0),
                new Case("a namespace others have put objects in stays",
                        List.of(namespace("m3", "n1"), create(CLUSTERS, "m3", "a", "u1", 0)),
                        t -> {
                            t.put(ResourceType.NAMESPACE, "", "m3", "n1");
                            t.put(CLUSTERS, "m3", "a", "u1");
                        }, List.of("ConfigMap theirs"),
                        List.of("clusters.cluster.x-k8s.io m3/a uid=u1 orphan"), List.of("deleted Cluster.cluster.x-k8s.io m3/a"),
                        List.of("namespace m3 (created by this import, but it now also holds ConfigMap theirs)"), 0),
                new Case("a create journaled without a UID is never deleted by name",
                        List.of(create(CLUSTERS, "m3", "a", null, 0)), t -> t.put(CLUSTERS, "m3", "a", "u1"), List.of(),
                        List.of(), List.of(), List.of(), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void undoesOnlyWhatTheRunCreatedInOrder(Case c) {
        FakeResourceApi target = new FakeResourceApi();
        c.target().accept(target);
        Rollback.Report report = new Rollback(target, Map.of(CLUSTERS.qualifiedResource(), CLUSTERS, MACHINES.qualifiedResource(), MACHINES,
                POOLS.qualifiedResource(), POOLS), (ns, run) -> c.others()).run(c.journal(), Map.of(), Rollback.Sweep.NONE);

        List<String> deletes = new ArrayList<>();
        target.calls.stream().filter(s -> s.startsWith("delete ")).forEach(s -> deletes.add(s.substring("delete ".length())));
        assertEquals(c.deletes(), deletes, "deletes, in order");
        assertEquals(c.undone(), report.undone());
        assertEquals(c.leftAlone(), report.leftAlone());
        assertEquals(c.failures(), report.failures().size(), report.failures().toString());
        // every finalizer patch is guarded like its delete
        target.calls.stream().filter(s -> s.startsWith("unfinalize ")).forEach(s -> assertEquals(true, s.contains(" uid="), s));
    }

    @Test
    void aDeleteTheGarbageCollectorNeverCompletesIsReportedNotCountedAsDone() {
        FakeResourceApi target = new FakeResourceApi();
        target.garbageCollector = false;
        target.put(CLUSTERS, "m3", "a", "u1");
        target.put(MACHINES, "m3", "a-0", "u2");
        Rollback.Report report = new Rollback(target, Map.of(CLUSTERS.qualifiedResource(), CLUSTERS, MACHINES.qualifiedResource(), MACHINES),
                (ns, run) -> List.of(), java.time.Duration.ofMillis(300))
                .run(List.of(create(CLUSTERS, "m3", "a", "u1", 0), create(MACHINES, "m3", "a-0", "u2", 1)), Map.of(), Rollback.Sweep.NONE);

        assertEquals(2, report.failures().size(), report.failures().toString());
        assertTrue(report.failures().get(0).contains("Machine.cluster.x-k8s.io m3/a-0 is still Terminating"), report.failures().toString());
        assertTrue(report.failures().get(1).contains("is kube-controller-manager running on the target?"), report.failures().toString());
    }

    @Test
    void aCreatedObjectIsDeletedOrphaningAndOnceGoneIsNoFailure() {
        FakeResourceApi target = new FakeResourceApi();
        target.put(CLUSTERS, "m3", "a", "u1");
        Rollback.Report report = new Rollback(target, Map.of(CLUSTERS.qualifiedResource(), CLUSTERS), (ns, run) -> List.of(), java.time.Duration.ofMillis(300))
                .run(List.of(create(CLUSTERS, "m3", "a", "u1", 0)), Map.of(), Rollback.Sweep.NONE);

        assertEquals(List.of(), report.failures());
        assertTrue(target.calls.contains("delete clusters.cluster.x-k8s.io m3/a uid=u1 orphan"), target.calls.toString());
    }

    @Test
    void aDeleteThatCannotBeSeenGoneBecauseTheListFailsSaysSoNotTerminating() {
        FakeResourceApi target = new FakeResourceApi();
        target.garbageCollector = false;
        target.put(CLUSTERS, "m3", "a", "u1");
        target.listRefused.put(CLUSTERS.qualifiedResource(), 403);
        Rollback.Report report = new Rollback(target, Map.of(CLUSTERS.qualifiedResource(), CLUSTERS), (ns, run) -> List.of(), java.time.Duration.ofMillis(300))
                .run(List.of(create(CLUSTERS, "m3", "a", "u1", 0)), Map.of(), Rollback.Sweep.NONE);

        assertEquals(1, report.failures().size(), report.failures().toString());
        assertTrue(report.failures().get(0).startsWith("Cluster.cluster.x-k8s.io m3/a was deleted, but could not be seen gone: "), report.failures().toString());
        assertTrue(!report.failures().get(0).contains("Terminating"), report.failures().toString());
    }
}

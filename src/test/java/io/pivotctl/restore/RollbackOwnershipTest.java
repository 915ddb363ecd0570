package io.pivotctl.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback proves ownership before it writes (issue 19, point 4), over a fake target that refuses writes as the server
 * does (a resourceVersion or UID that is not the stored one is 409): an object --on-conflict update overwrote gets its
 * journaled content back only while it is as this run left it; one changed since is left alone and keeps the creates
 * it names as owners; a Secret's previous content never reaches the journal; a CRD is deleted without clearing its
 * finalizers, and only when it holds nothing this run did not create.
 */
class RollbackOwnershipTest {

    private static final ResourceType CM = ResourceType.CONFIG_MAP;
    private static final ResourceType WIDGETS = new ResourceType("example.io", "v1", "Widget", "widgets", true, false);

    private final FakeResourceApi target = new FakeResourceApi();

    private static Journal.Record create(String name, String uid, int level) {
        return new Journal.Record(Journal.Op.CREATE, "core/ConfigMap/m3/" + name, CM.qualifiedResource(), "old-" + uid, uid, level);
    }

    private static Journal.Record previous(String name, String uid, String resourceVersion, ObjectNode content) {
        return new Journal.Record(Journal.Op.PREVIOUS, "core/ConfigMap/m3/" + name, CM.qualifiedResource(), null, uid, -1, resourceVersion, content);
    }

    private static Journal.Record update(String name, String uid, String resourceVersion) {
        return new Journal.Record(Journal.Op.UPDATE, "core/ConfigMap/m3/" + name, CM.qualifiedResource(), "old-" + uid, uid, 1, resourceVersion, null);
    }

    /** A ConfigMap as stored: UID, resourceVersion, data, and (when given) an owner. */
    private ObjectNode put(String name, String uid, String resourceVersion, String value, String ownerUid) {
        ObjectNode o = target.put(CM, "m3", name, uid);
        o.with("metadata").put("resourceVersion", resourceVersion);
        o.putObject("data").put("k", value);
        if (ownerUid != null) {
            o.with("metadata").putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "ConfigMap").put("name", "owner")
                    .put("uid", ownerUid);
        }
        return o;
    }

    /** What "shared" was before this run updated it: theirs, owned by nobody. */
    private static ObjectNode theirs() {
        ObjectNode o = new FakeResourceApi().put(CM, "m3", "shared", "s1");
        o.with("metadata").put("resourceVersion", "150");
        o.putObject("data").put("k", "theirs");
        return o;
    }

    private Rollback.Report rollback(List<Journal.Record> journal) {
        return new Rollback(target, Map.of(), (ns, run) -> List.of()).run(journal, Map.of(), Rollback.Sweep.NONE);
    }

    @Test
    void anUpdatedObjectGetsItsJournaledContentBackBeforeTheOwnerThisRunCreatedIsDeleted() {
        put("owner", "o1", "190", "ours", null);
        put("shared", "s1", "200", "archived", "o1");

        Rollback.Report report = rollback(List.of(create("owner", "o1", 0), previous("shared", "s1", "150", theirs()), update("shared", "s1", "200")));

        assertEquals(List.of("restored ConfigMap m3/shared", "deleted ConfigMap m3/owner"), report.undone());
        ObjectNode shared = target.objects.get(FakeResourceApi.key(CM, "m3", "shared"));
        assertEquals("theirs", shared.path("data").path("k").asText());
        assertFalse(shared.path("metadata").has("ownerReferences"), "no longer owned by what this run created: " + shared);
        assertEquals(List.of("update configmaps m3/shared", "unfinalize configmaps m3/owner uid=o1", "delete configmaps m3/owner uid=o1 orphan"), target.calls);
    }

    @Test
    void anObjectChangedSinceTheUpdateIsLeftAloneWithTheOwnersItNamesAndTheirOwners() {
        put("grand", "g1", "180", "ours", null);
        put("owner", "o1", "190", "ours", "g1");
        put("unrelated", "x1", "191", "ours", null);
        put("shared", "s1", "201", "someone edited it after the import", "o1"); // the update left 200

        Rollback.Report report = rollback(List.of(create("grand", "g1", 0), create("owner", "o1", 1), create("unrelated", "x1", 1),
                previous("shared", "s1", "150", theirs()), update("shared", "s1", "200")));

        assertEquals(List.of("deleted ConfigMap m3/unrelated"), report.undone());
        assertEquals(List.of(), report.failures());
        assertEquals(3, report.leftAlone().size(), report.leftAlone().toString());
        assertTrue(report.leftAlone().get(0).startsWith("ConfigMap m3/shared (updated by this import, but changed since"), report.leftAlone().get(0));
        assertTrue(report.leftAlone().stream().anyMatch(l -> l.startsWith("ConfigMap m3/owner (created by this import, but kept")), report.leftAlone().toString());
        assertTrue(report.leftAlone().stream().anyMatch(l -> l.startsWith("ConfigMap m3/grand (created by this import, but kept")), report.leftAlone().toString());
        assertEquals("someone edited it after the import", target.objects.get(FakeResourceApi.key(CM, "m3", "shared")).path("data").path("k").asText());
        assertTrue(target.objects.containsKey(FakeResourceApi.key(CM, "m3", "owner")));
        assertTrue(target.objects.containsKey(FakeResourceApi.key(CM, "m3", "grand")));
    }

    @Test
    void anUpdateThatNeverLandedNeedsNothingAndOneThatMayHaveLandedIsLeftAlone() {
        put("shared", "s1", "150", "theirs", null);
        Rollback.Report unchanged = rollback(List.of(previous("shared", "s1", "150", theirs())));
        assertEquals(List.of("ConfigMap m3/shared unchanged (its update never reached the server)"), unchanged.undone());
        assertEquals(List.of(), target.calls, "nothing written");

        put("shared", "s1", "160", "archived", null);
        Rollback.Report changed = rollback(List.of(previous("shared", "s1", "150", theirs())));
        assertEquals(List.of(), changed.undone());
        assertTrue(changed.leftAlone().get(0).contains("sent but not confirmed, and it changed since"), changed.leftAlone().toString());
        assertEquals(List.of(), target.calls, "nothing written");
    }

    @Test
    void aSecretsPreviousContentNeverReachesTheJournalAndItsOwnersStayOnceTheRunEnded(@TempDir Path dir) throws Exception {
        ObjectNode secret = target.put(ResourceType.SECRET, "m3", "bmc", "s1");
        secret.with("metadata").put("resourceVersion", "150");
        secret.putObject("data").put("password", "c2VjcmV0LXZhbHVlLTAxMjM=");
        Journal journal = Journal.create(dir.resolve("j.jsonl"));
        journal.created(new ObjectId("", "ConfigMap", "m3", "owner"), CM, "old-o1", "o1", 0);
        new ImportRun(journal, new Cancellation()).updating(new ObjectId("", "Secret", "m3", "bmc"), ResourceType.SECRET, secret);
        journal.updated(new ObjectId("", "Secret", "m3", "bmc"), ResourceType.SECRET, "old-s1", "s1", 1, "200");
        journal.close();
        assertFalse(Files.readString(dir.resolve("j.jsonl")).contains("c2VjcmV0"), "no Secret value in the journal");
        put("owner", "o1", "190", "ours", null);
        secret.with("metadata").put("resourceVersion", "200");
        secret.with("metadata").putArray("ownerReferences").addObject().put("uid", "o1");

        Rollback.Report report = rollback(Journal.read(Files.readAllLines(dir.resolve("j.jsonl"))));

        assertEquals(1, report.failures().size(), report.failures().toString());
        assertTrue(report.failures().get(0).contains("a Secret's previous content is never written to the journal"), report.failures().get(0));
        assertTrue(target.objects.containsKey(FakeResourceApi.key(CM, "m3", "owner")), "the owner the Secret names stays");
    }

    @Test
    void aResumedRunThatUpdatesAgainNeverTakesTheEarlierWriteForThePreviousContent(@TempDir Path dir) throws Exception {
        ObjectId shared = new ObjectId("", "ConfigMap", "m3", "shared");
        Path path = dir.resolve("j.jsonl");
        Journal first = Journal.create(path);
        new ImportRun(first, new Cancellation()).updating(shared, CM, theirs());
        first.updated(shared, CM, "old-s1", "s1", 1, "200");
        first.close(); // the process is killed here; --resume updates the object again, over what it wrote itself
        ObjectNode ours = put("shared", "s1", "200", "archived", null);
        try (Journal resumed = Journal.open(path, "--resume")) {
            ImportRun run = new ImportRun(resumed, new Cancellation());
            run.updating(shared, CM, ours);
            resumed.updated(shared, CM, "old-s1", "s1", 1, "200");

            Rollback.Report report = new Rollback(target, Map.of(), (ns, r) -> List.of()).run(resumed.records(), run.previous(), Rollback.Sweep.NONE);

            assertEquals(List.of("restored ConfigMap m3/shared"), report.undone());
            assertEquals("theirs", target.objects.get(FakeResourceApi.key(CM, "m3", "shared")).path("data").path("k").asText());
            assertEquals(1, resumed.records().stream().filter(r -> r.op() == Journal.Op.PREVIOUS).count());
        }
    }

    /** A CRD of Widgets as the target stores it, UID c1. */
    private void widgetCrd() {
        ObjectNode crd = target.put(ResourceType.CRD, "", "widgets.example.io", "c1");
        ObjectNode spec = crd.putObject("spec").put("group", "example.io").put("scope", "Namespaced");
        spec.putObject("names").put("kind", "Widget").put("plural", "widgets");
        spec.putArray("versions").addObject().put("name", "v1").put("storage", true);
        crd.with("metadata").putArray("finalizers").add("customresourcecleanup.apiextensions.k8s.io");
    }

    private static Journal.Record crdLine() {
        return new Journal.Record(Journal.Op.CRD, "widgets.example.io", ResourceType.CRD.qualifiedResource(), null, "c1", -1);
    }

    @Test
    void aCrdHoldingACustomResourceThisRunDidNotCreateStaysWithItsFinalizer() {
        widgetCrd();
        target.put(WIDGETS, "m3", "theirs", "w1");
        target.put(WIDGETS, "m3", "ours", "w2").with("metadata").putObject("labels").put(PivotctlMarks.IMPORT_RUN, "run-1");

        Rollback.Report report = new Rollback(target, Map.of(), (ns, run) -> List.of()).run(List.of(crdLine()), Map.of(), new Rollback.Sweep("run-1", Set()));

        assertEquals(List.of(), report.undone());
        assertEquals(List.of("CustomResourceDefinition.apiextensions.k8s.io widgets.example.io (created by this import, but it holds 1 custom resource(s)"
                + " this import did not create: m3/theirs; deleting the CRD would delete them)"), report.leftAlone());
        assertEquals(List.of(), target.calls, "neither its finalizer cleared nor deleted");
    }

    @Test
    void aCrdHoldingOnlyThisRunsObjectsIsDeletedWithItsFinalizerInPlace() {
        widgetCrd();
        target.put(WIDGETS, "m3", "ours", "w2").with("metadata").putObject("labels").put(PivotctlMarks.IMPORT_RUN, "run-1");

        Rollback.Report report = new Rollback(target, Map.of(), (ns, run) -> List.of()).run(List.of(crdLine()), Map.of(), new Rollback.Sweep("run-1", Set()));

        assertEquals(List.of("deleted CustomResourceDefinition.apiextensions.k8s.io widgets.example.io"), report.undone());
        assertEquals(List.of("delete customresourcedefinitions.apiextensions.k8s.io widgets.example.io uid=c1"), target.calls,
                "deleted with its UID, the customresourcecleanup finalizer left to the apiserver");
        assertNull(target.objects.get(FakeResourceApi.key(ResourceType.CRD, "", "widgets.example.io")));
    }

    private static java.util.Set<String> Set() {
        return java.util.Set.of();
    }
}

package io.pivotctl.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.PivotctlException;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollback epilogue a failed import and import --rollback share: the journal says a rollback began, it goes once
 * everything is undone, and it stays for --rollback (never --resume) when something could not be undone.
 */
class JournalUndoTest {

    private static final ObjectId LEASES = new ObjectId("", "ConfigMap", "metal3", "dnsmasq-leases-configmap");
    /** A kind the rollback is not told about: its create cannot be undone. */
    private static final ResourceType WIDGETS = new ResourceType("example.io", "v1", "Widget", "widgets", true, false);

    /** A target holding the leases ConfigMap a run created (UID u1), and that run's journal. */
    private static Journal leasesCreated(Path path, FakeResourceApi target) {
        target.put(ResourceType.CONFIG_MAP, "metal3", LEASES.name(), "u1");
        Journal journal = Journal.create(path);
        journal.created(LEASES, ResourceType.CONFIG_MAP, null, "u1", -1, false);
        return journal;
    }

    private static Rollback.Report undo(Journal journal, FakeResourceApi target) {
        return new JournalUndo(new ImportTarget(target, null, journal.path()), Set.of("metal3")).undo(journal, Map.of(), Map.of());
    }

    @Test
    void everythingUndoneRemovesTheJournal(@TempDir Path dir) {
        Path path = dir.resolve("journal").resolve("a-b.jsonl");
        FakeResourceApi target = new FakeResourceApi();
        Journal journal = leasesCreated(path, target);

        Rollback.Report report = undo(journal, target);

        assertEquals(List.of("deleted ConfigMap metal3/dnsmasq-leases-configmap"), report.undone());
        assertEquals(List.of(), report.failures());
        assertFalse(Files.exists(path), "a complete rollback leaves no journal");
    }

    @Test
    void whatCouldNotBeUndoneKeepsTheJournalForRollbackOnly(@TempDir Path dir) {
        Path path = dir.resolve("journal").resolve("a-b.jsonl");
        FakeResourceApi target = new FakeResourceApi();
        Journal journal = leasesCreated(path, target);
        journal.created(new ObjectId("example.io", "Widget", "metal3", "w"), WIDGETS, "a", "u2", 0);

        Rollback.Report report = undo(journal, target);

        assertEquals(1, report.failures().size(), report.failures().toString());
        assertTrue(report.failures().get(0).contains("unknown resource widgets.example.io"), report.failures().get(0));
        assertTrue(Files.exists(path), "kept: something is still to undo");
        PivotctlException resume = assertThrows(PivotctlException.class, () -> Journal.open(path, "--resume"));
        assertTrue(resume.getMessage().contains("run again with --rollback"), resume.getMessage());
        try (Journal again = Journal.open(path, "--rollback")) {
            assertTrue(again.state().rollbackStarted());
        }
    }
}

package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceType;
import java.util.Map;
import java.util.Set;

/**
 * The one rollback epilogue, of an import that failed ({@link FailedImport}) and of import --rollback
 * ({@link JournalRollback}) alike: journals that a rollback began (from then on only --rollback continues the journal),
 * undoes what the journal records ({@link Rollback}), sweeping the namespaces the import may have written into for the
 * run's creates the server never confirmed, then deletes the journal once everything is undone, or keeps it (closed) for
 * another --rollback.
 */
final class JournalUndo {

    private final ImportTarget target;
    private final Set<String> namespaces;

    /** @param namespaces where the sweep looks for the run's unconfirmed creates ({@link ImportJob#namespacesWritten()}) */
    JournalUndo(ImportTarget target, Set<String> namespaces) {
        this.target = target;
        this.namespaces = Set.copyOf(namespaces);
    }

    /**
     * @param types the resources the journal may name, by qualified resource
     * @param previous what the objects the run updated held before; empty once the importing process has ended (they are
     *     then reported, not restored)
     */
    Rollback.Report undo(Journal journal, Map<String, ResourceType> types, Map<ObjectId, ObjectNode> previous) {
        journal.rollbackStarted();
        Rollback.Report report = new Rollback(target.api(), types, new NamespaceInventory(target.discovery(), target.api()))
                .run(journal.records(), previous, new Rollback.Sweep(journal.runId(), namespaces));
        if (report.failures().isEmpty()) {
            journal.delete();
        } else {
            journal.close();
        }
        return report;
    }
}

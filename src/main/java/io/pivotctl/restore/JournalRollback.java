package io.pivotctl.restore;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.Manifest;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.GroupVersionKind;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.validate.LoadedArchive;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code import --rollback}: undoes what a kept journal records (an import run with --no-rollback, or a rollback cut short). */
final class JournalRollback {

    private final ResourceApi api;
    private final Discovery discovery;
    private final ImportProgress progress;

    JournalRollback(ResourceApi api, Discovery discovery, ImportProgress progress) {
        this.api = api;
        this.discovery = discovery;
        this.progress = progress;
    }

    /** Returns one line per change undone; throws when something could not be undone (the journal is then kept). */
    List<String> undo(Path journalPath, LoadedArchive archive, ImportRequest req) {
        try (Journal journal = Journal.open(journalPath, "--rollback")) {
            if (journal.state().applied()) {
                throw PivotctlException.failed("--rollback: every object of this import is already in place (journal " + journalPath
                        + "): it is not rolled back; run --resume to finish it");
            }
            progress.phase("rolling back " + journal.records().stream().filter(r -> r.op() == Journal.Op.CREATE).count()
                    + " journaled creates of " + journalPath);
            journal.rollbackStarted();
            Rollback.Report report = new Rollback(api, typesOf(archive), new NamespaceInventory(discovery, api))
                    .run(journal.records(), Map.of(), new Rollback.Sweep(journal.runId(), namespacesOf(archive, req)));
            report.leftAlone().forEach(l -> progress.warning("left alone: " + l));
            if (!report.failures().isEmpty()) {
                throw new PivotctlException(Outcome.FAILED, "rollback incomplete: " + report.failures().size()
                        + " change(s) could NOT be undone (journal kept at " + journalPath + "; run --rollback again)", report.details());
            }
            journal.delete();
            return report.undone();
        }
    }

    private Map<String, ResourceType> typesOf(LoadedArchive archive) {
        Map<String, ResourceType> types = new HashMap<>();
        Set<GroupVersionKind> seen = new HashSet<>();
        for (ArchivedObject o : archive.objects()) {
            Manifest.Entry e = o.entry();
            if (seen.add(e.gvk())) {
                discovery.find(e.group(), e.version(), e.kind()).ifPresent(t -> types.put(t.qualifiedResource(), t));
            }
        }
        return types;
    }

    /** The namespaces an import of this archive may have written into: archived objects' and the leases ConfigMap's. */
    static Set<String> namespacesOf(LoadedArchive archive, ImportRequest req) {
        Set<String> out = new TreeSet<>();
        archive.objects().forEach(o -> {
            if (!o.id().namespace().isEmpty()) {
                out.add(o.id().namespace());
            }
        });
        out.add(req.leases().namespace());
        return out;
    }
}

package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.Parallel;
import io.pivotctl.kube.ResourceClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Writes the plan level by level (owners first); objects inside a level go in parallel on a bounded
 * pool. Each change is journaled right after the server accepted it, so rollback and resume know
 * exactly what this import did.
 */
final class Applier {

    /** Outcome counts per kind. */
    record Counts(Map<String, AtomicInteger> created, Map<String, AtomicInteger> skipped, Map<String, AtomicInteger> updated) {
        Counts() {
            this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }

        static void inc(Map<String, AtomicInteger> m, String kind) {
            m.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    private final ResourceClient client;
    private final Journal journal;
    private final ImportRequest req;
    private final String archiveId;
    private final Map<String, String> uidMap;
    private final Set<ObjectId> statusDone;
    private final Map<ObjectId, ObjectNode> previousForRollback;
    private final AtomicBoolean cancelled;
    private final Consumer<String> warnings;
    private final String runId;
    final Counts counts = new Counts();

    Applier(ResourceClient client, Journal journal, ImportRequest req, String archiveId, Map<String, String> uidMap, Set<ObjectId> statusDone,
            Map<ObjectId, ObjectNode> previousForRollback, AtomicBoolean cancelled, Consumer<String> warnings) {
        this.client = client;
        this.journal = journal;
        this.req = req;
        this.archiveId = archiveId;
        this.uidMap = uidMap;
        this.statusDone = statusDone;
        this.previousForRollback = previousForRollback;
        this.cancelled = cancelled;
        this.warnings = warnings;
        this.runId = journal.runId();
    }

    void applyLevel(List<PlannedObject> level, int index, int concurrency, Set<ObjectId> createdByJournal) {
        Parallel.map(level, concurrency, p -> {
            if (cancelled.get()) {
                throw new CancelledException();
            }
            apply(p, index, createdByJournal);
            return null;
        });
    }

    private void apply(PlannedObject p, int level, Set<ObjectId> createdByJournal) {
        ObjectId id = p.id();
        String kind = id.qualifiedKind();
        ObjectNode archived = p.archived().object();
        boolean withStatus = ObjectPreparer.hasStatus(archived);
        boolean statusViaSubresource = withStatus && p.type().statusSubresource();
        ObjectNode live;
        if (createdByJournal.contains(id)) {
            // resume: created by the interrupted run; finish what it did not
            live = p.existing();
            if (live == null) {
                throw new IllegalStateException(id + " is in the journal but no longer on the target");
            }
            uidMap.put(p.oldUid(), live.path("metadata").path("uid").asText());
            if (statusViaSubresource && !statusDone.contains(id)) {
                writeStatus(p, live, level);
            }
            Counts.inc(counts.created(), kind);
            return;
        }
        if (p.exists()) {
            uidMap.put(p.oldUid(), p.existing().path("metadata").path("uid").asText());
            if (req.onConflict() == ConflictPolicy.UPDATE) {
                update(p, level);
                Counts.inc(counts.updated(), kind);
            } else {
                Counts.inc(counts.skipped(), kind);
            }
            return;
        }
        ObjectNode body = ObjectPreparer.forCreate(archived, uidMap, archiveId, !statusViaSubresource, warnings);
        if (withStatus && !p.type().statusSubresource()) {
            body.set("status", archived.get("status").deepCopy()); // no /status: status travels with the create
        }
        Markers.labelRun(body, runId);
        if (req.bmhStatusAnnotation() && withStatus && Markers.isHost(id.group(), id.kind())) {
            body.with("metadata").with("annotations").put(Markers.BMH_STATUS, ObjectPreparer.bmhStatusAnnotation(archived));
        }
        try {
            live = client.create(p.type(), body, false);
        } catch (RuntimeException e) {
            live = ApiErrors.isConflict(e) ? ownUnconfirmedCreate(p).orElse(null) : null;
            if (live == null) {
                throw ApiErrors.describe(e, "create", id.toString(), client.connection().server());
            }
        }
        String newUid = live.path("metadata").path("uid").asText();
        journal.append("create", EntryPaths.id(id), p.type().qualifiedResource(), p.oldUid(), newUid, level);
        uidMap.put(p.oldUid(), newUid);
        if (statusViaSubresource) {
            writeStatus(p, live, level);
        }
        Counts.inc(counts.created(), kind);
    }

    /**
     * After "already exists" on a create that was retried: the first attempt reached the server and only its answer
     * was lost when the object carries this run's label. Then it is ours, as if the create had answered.
     */
    private java.util.Optional<ObjectNode> ownUnconfirmedCreate(PlannedObject p) {
        if (runId == null) {
            return java.util.Optional.empty();
        }
        return client.get(p.type(), p.id().namespace(), p.id().name())
                .filter(o -> runId.equals(o.path("metadata").path("labels").path(Markers.IMPORT_RUN).asText(null)));
    }

    private void writeStatus(PlannedObject p, ObjectNode live, int level) {
        ObjectId id = p.id();
        try {
            try {
                client.updateStatus(p.type(), ObjectPreparer.forStatus(live, p.archived().object()));
            } catch (RuntimeException e) {
                if (!ApiErrors.isConflict(e)) {
                    throw e;
                }
                // a retried write whose first attempt landed (or a controller wrote meanwhile): same status, fresh resourceVersion
                ObjectNode fresh = client.get(p.type(), id.namespace(), id.name()).orElseThrow(() -> e);
                client.updateStatus(p.type(), ObjectPreparer.forStatus(fresh, p.archived().object()));
            }
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "write status of", id.toString(), client.connection().server());
        }
        journal.append("status", EntryPaths.id(id), p.type().qualifiedResource(), null, null, level);
        markRestored(p);
    }

    private void markRestored(PlannedObject p) {
        if (!req.keepPaused() && Markers.isPausable(p.id().group(), p.id().kind())) {
            return; // the unpause patch at the end sets it: one request fewer per host
        }
        try {
            client.mergePatch(p.type(), p.id().namespace(), p.id().name(),
                    Json.MAPPER.valueToTree(Map.of("metadata", Map.of("annotations", Map.of(Markers.RESTORED_FROM, archiveId)))));
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "annotate", p.id().toString(), client.connection().server());
        }
    }

    private void update(PlannedObject p, int level) {
        ObjectId id = p.id();
        ObjectNode existing = p.existing();
        previousForRollback.put(id, existing.deepCopy());
        ObjectNode body = ObjectPreparer.forCreate(p.archived().object(), uidMap, archiveId, true, warnings);
        body.with("metadata").put("resourceVersion", existing.path("metadata").path("resourceVersion").asText());
        if (!p.type().statusSubresource() && ObjectPreparer.hasStatus(p.archived().object())) {
            body.set("status", p.archived().object().get("status").deepCopy());
        }
        ObjectNode live;
        try {
            live = client.update(p.type(), body);
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "update", id.toString(), client.connection().server());
        }
        journal.append("update", EntryPaths.id(id), p.type().qualifiedResource(), p.oldUid(), live.path("metadata").path("uid").asText(), level);
        if (p.type().statusSubresource() && ObjectPreparer.hasStatus(p.archived().object())) {
            try {
                client.updateStatus(p.type(), ObjectPreparer.forStatus(live, p.archived().object()));
            } catch (RuntimeException e) {
                throw ApiErrors.describe(e, "write status of", id.toString(), client.connection().server());
            }
        }
    }

    /** Thrown inside workers when Ctrl-C/SIGTERM asked the import to stop. */
    static final class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CancelledException() {
            super("import interrupted");
        }
    }
}

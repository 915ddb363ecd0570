package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ObjectFields;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.vocabulary.Metal3;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes the plan, owners first, objects in parallel on a bounded pool (no level barrier). Each change goes
 * through {@link ImportRun}, which journals it right after the server accepted it, so rollback and resume know
 * exactly what this import did.
 *
 * <p>Cluster-scoped objects ("globals", such as a GlobalInClusterIPPool) are shared by everything on the target:
 * one that exists is adopted (references to it get its UID) and never updated, whatever --on-conflict says.
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

        /** The counts as the summary reports them. */
        ImportSummary.Counts summary(boolean leasesRestored) {
            return new ImportSummary.Counts(snapshot(created), snapshot(skipped), snapshot(updated), leasesRestored);
        }

        private static Map<String, Integer> snapshot(Map<String, AtomicInteger> m) {
            Map<String, Integer> out = new TreeMap<>();
            m.forEach((k, v) -> out.put(k, v.get()));
            return out;
        }
    }

    private final ResourceApi api;
    private final ImportRun run;
    private final ImportRequest req;
    private final String archiveId;
    private final ObjectPreparer.Owners owners;
    final Counts counts = new Counts();

    Applier(ResourceApi api, ImportRun run, ImportRequest req, String archiveId, ObjectPreparer.Owners owners) {
        this.api = api;
        this.run = run;
        this.req = req;
        this.archiveId = archiveId;
        this.owners = owners;
    }

    /**
     * Writes the whole plan: each object as soon as its owners in the archive are in place (their UIDs are what its
     * ownerReferences get), at most {@link ResourceApi#concurrency()} at once; see {@link OwnersFirst}. Owners are
     * the graph's {@code owner} edges into a lower level (the edges the levels were computed from; an owner inside
     * a cycle is not waited for, as before). {@code levelDone} hears of each level once it and every level before
     * it are complete.
     */
    void applyAll(List<List<PlannedObject>> levels, Manifest.GraphInfo graph, ImportProgress progress) {
        List<PlannedObject> all = levels.stream().flatMap(List::stream).toList();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            index.put(EntryPaths.id(all.get(i).id()), i);
        }
        List<List<Integer>> owners = new ArrayList<>(all.size());
        all.forEach(p -> owners.add(new ArrayList<>(1)));
        int ownerEdges = 0;
        for (Manifest.GraphEdge e : graph.edges()) {
            Integer from = index.get(e.from());
            Integer to = index.get(e.to());
            if ("owner".equals(e.type()) && from != null && to != null && all.get(to).level() < all.get(from).level()) {
                owners.get(from).add(to);
                ownerEdges++;
            }
        }
        LevelProgress done = new LevelProgress(levels, progress);
        if (ownerEdges == 0 && levels.size() > 1) {
            // levels without the edges they came from (a hand-made manifest): the only order known is level by level
            for (List<PlannedObject> level : levels) {
                OwnersFirst.run(level, new int[level.size()][], api.concurrency(), p -> applyOne(p, done));
            }
            return;
        }
        int[][] dependsOn = new int[all.size()][];
        for (int i = 0; i < all.size(); i++) {
            dependsOn[i] = owners.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        OwnersFirst.run(all, dependsOn, api.concurrency(), p -> applyOne(p, done));
    }

    private void applyOne(PlannedObject p, LevelProgress done) {
        run.checkCancelled();
        apply(p);
        done.objectDone(p);
    }

    /** Reports levels in order: level i once it and every level before it are complete. */
    private static final class LevelProgress {
        private final ImportProgress progress;
        private final int[] remaining;
        private final int[] sizes;
        private final Map<Integer, Integer> levelIndex = new HashMap<>();
        private int reported;

        LevelProgress(List<List<PlannedObject>> levels, ImportProgress progress) {
            this.progress = progress;
            this.remaining = new int[levels.size()];
            this.sizes = new int[levels.size()];
            for (int i = 0; i < levels.size(); i++) {
                remaining[i] = levels.get(i).size();
                sizes[i] = levels.get(i).size();
                for (PlannedObject p : levels.get(i)) {
                    levelIndex.put(p.level(), i);
                }
            }
        }

        synchronized void objectDone(PlannedObject p) {
            remaining[levelIndex.get(p.level())]--;
            while (reported < remaining.length && remaining[reported] == 0) {
                reported++;
                progress.levelDone(reported, remaining.length, sizes[reported - 1]);
            }
        }
    }

    static boolean isGlobal(ObjectId id) {
        return id.namespace().isEmpty();
    }

    private void apply(PlannedObject p) {
        ObjectId id = p.id();
        String kind = id.qualifiedKind();
        if (run.createdBefore(id)) {
            finishEarlierCreate(p);
            Counts.inc(counts.created(), kind);
            return;
        }
        if (p.exists()) {
            run.adopt(p.oldUid(), p.existing());
            if (req.onConflict() == ConflictPolicy.UPDATE && !isGlobal(id)) {
                update(p);
                Counts.inc(counts.updated(), kind);
            } else {
                Counts.inc(counts.skipped(), kind);
            }
            return;
        }
        create(p);
        Counts.inc(counts.created(), kind);
    }

    /** --resume: the interrupted run created it; finish what it did not (status). */
    private void finishEarlierCreate(PlannedObject p) {
        ObjectNode live = p.existing() != null ? p.existing() : api.get(p.type(), p.id().namespace(), p.id().name()).orElse(null);
        if (live == null) {
            throw new IllegalStateException(p.id() + " is in the journal but no longer on the target");
        }
        run.adopt(p.oldUid(), live);
        ObjectNode archived = p.archived().object();
        if (withStatusSubresource(p, archived) && !run.statusWritten(p.id())) {
            writeStatus(p, live, archived);
        }
    }

    private void create(PlannedObject p) {
        ObjectNode archived = p.archived().object(); // parsed once per object: bodies are kept compressed, each call parses again
        boolean viaSubresource = withStatusSubresource(p, archived);
        // the marker says "created by this archive's import" and travels in the create: no separate patch per object
        ObjectNode body = ObjectPreparer.forCreate(archived, owners, archiveId, true, run::warn);
        if (ObjectFields.hasStatus(archived) && !p.type().statusSubresource()) {
            body.set("status", archived.get("status").deepCopy()); // no /status: status travels with the create
        }
        RunLabel.put(body, run.runId());
        if (req.has(ImportRequest.Flag.BMH_STATUS_ANNOTATION) && ObjectFields.hasStatus(archived) && p.id().isBareMetalHost()) {
            body.with("metadata").with("annotations").put(Metal3.HOST_STATUS, ObjectPreparer.bmhStatusAnnotation(archived));
        }
        ObjectNode live;
        try {
            live = api.create(p.type(), body, false);
        } catch (RuntimeException e) {
            live = ApiErrors.isConflict(e) ? ownUnconfirmedCreate(p).orElse(null) : null;
            if (live == null) {
                throw ApiErrors.describe(e, "create", p.id().toString(), api.server());
            }
        }
        run.created(p, live);
        if (viaSubresource) {
            writeStatus(p, live, archived);
        }
    }

    private static boolean withStatusSubresource(PlannedObject p, ObjectNode archived) {
        return p.type().statusSubresource() && ObjectFields.hasStatus(archived);
    }

    /**
     * After "already exists" on a create that was retried: the first attempt reached the server and only its answer
     * was lost when the object carries this run's label. Then it is ours, as if the create had answered.
     */
    private Optional<ObjectNode> ownUnconfirmedCreate(PlannedObject p) {
        if (run.runId() == null) {
            return Optional.empty();
        }
        return api.get(p.type(), p.id().namespace(), p.id().name()).filter(o -> RunLabel.carries(o, run.runId()));
    }

    private void writeStatus(PlannedObject p, ObjectNode live, ObjectNode archived) {
        ObjectId id = p.id();
        try {
            try {
                api.updateStatus(p.type(), ObjectPreparer.forStatus(live, archived));
            } catch (RuntimeException e) {
                if (!ApiErrors.isConflict(e)) {
                    throw e;
                }
                // a retried write whose first attempt landed (or a controller wrote meanwhile): same status, fresh resourceVersion
                ObjectNode fresh = api.get(p.type(), id.namespace(), id.name()).orElseThrow(() -> e);
                api.updateStatus(p.type(), ObjectPreparer.forStatus(fresh, archived));
            }
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "write status of", id.toString(), api.server());
        }
        run.statusWritten(p);
    }

    /** --on-conflict update: the archived content over the existing object; like a create, it is unpaused at the end. */
    private void update(PlannedObject p) {
        ObjectId id = p.id();
        ObjectNode existing = p.existing();
        ObjectNode archived = p.archived().object();
        ObjectNode body = ObjectPreparer.forCreate(archived, owners, archiveId, true, run::warn);
        body.with("metadata").put("resourceVersion", existing.path("metadata").path("resourceVersion").asText());
        body.with("metadata").put("uid", ImportRun.uidOf(existing)); // the server refuses the write if the object was replaced
        if (!p.type().statusSubresource() && ObjectFields.hasStatus(archived)) {
            body.set("status", archived.get("status").deepCopy());
        }
        ObjectNode live;
        try {
            live = api.update(p.type(), body);
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "update", id.toString(), api.server());
        }
        run.updated(p, existing, live);
        if (withStatusSubresource(p, archived)) {
            try {
                api.updateStatus(p.type(), ObjectPreparer.forStatus(live, archived));
            } catch (RuntimeException e) {
                throw ApiErrors.describe(e, "write status of", id.toString(), api.server());
            }
        }
    }
}

package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.pivotctl.Json;
import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.kube.Parallel;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.validate.LoadedArchive;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code pivotctl import}: preflight (nothing written unless everything checks), plan, apply level by
 * level with a journal, finish (unpause); on any failure or Ctrl-C everything this run wrote is rolled
 * back, unless --no-rollback keeps it for --resume.
 */
public final class ImportService {

    public ImportSummary run(ImportRequest req, LoadedArchive archive, ImportProgress progress) {
        long start = System.nanoTime();
        Manifest manifest = archive.manifest();
        List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
        boolean objects = req.only() != ImportRequest.Scope.LEASES;
        boolean leases = req.only() != ImportRequest.Scope.OBJECTS;
        if (objects && !req.rollback() && !archive.secretsDecrypted() && !manifest.secrets().isEmpty()) {
            throw PivotctlException.usage("the archive holds " + manifest.secrets().size()
                    + " encrypted Secrets: pass --identity FILE or --passphrase-file FILE to import them");
        }
        if (leases && req.only() == ImportRequest.Scope.LEASES && archive.leases().isEmpty()) {
            throw PivotctlException.invalid("the archive holds no dnsmasq leases (export was run without a leases source)");
        }
        try (ClusterConnection conn = KubeConnector.connect(req.target())) {
            ResourceClient client = new ResourceClient(conn);
            Discovery discovery = new Discovery(conn);
            progress.phase("connecting to " + conn.server());
            discovery.serverVersion();
            String targetId = discovery.clusterId();
            java.nio.file.Path journalPath = Journal.pathFor(manifest.archiveId(), targetId);
            if (req.rollback()) {
                return undoJournal(journalPath, archive, client, discovery, req, progress, start);
            }
            Journal journal = null;
            Set<ObjectId> createdBefore = new HashSet<>();
            Set<ObjectId> statusBefore = new HashSet<>();
            Map<String, String> uidMap = new ConcurrentHashMap<>();
            if (req.resume()) {
                journal = Journal.resume(journalPath);
                for (Journal.Record r : journal.records()) {
                    if ("create".equals(r.op()) && r.id().split("/").length == 4) {
                        createdBefore.add(EntryPaths.parseId(r.id()));
                        if (r.oldUid() != null) {
                            uidMap.put(r.oldUid(), r.newUid());
                        }
                    } else if ("status".equals(r.op())) {
                        statusBefore.add(EntryPaths.parseId(r.id()));
                    }
                }
                progress.phase("resuming from journal " + journalPath + " (" + createdBefore.size() + " objects already created)");
            }
            boolean writeLeases = leases && archive.leases().isPresent();
            if (writeLeases) {
                LeasesRestore.Existing now = new LeasesRestore(client, null).existing(archive.leases().get(), req.leasesNamespace(),
                        req.leasesConfigMap(), manifest.archiveId());
                if (now == LeasesRestore.Existing.SAME_ARCHIVE) {
                    progress.phase("leases ConfigMap " + req.leasesNamespace() + "/" + req.leasesConfigMap() + " already holds this archive's leases");
                    writeLeases = false;
                } else if (now == LeasesRestore.Existing.OTHER && req.onConflict() == ConflictPolicy.FAIL) {
                    throw PivotctlException.invalid("leases ConfigMap " + req.leasesNamespace() + "/" + req.leasesConfigMap()
                            + " already exists on the target with other content (use --on-conflict skip or update, or --leases-configmap NS/NAME);"
                            + " nothing was changed");
                }
            }
            PreflightResult preflight = null;
            List<String> crdsInstalled = new ArrayList<>();
            if (objects) {
                if (req.installCrds() && !req.dryRun()) {
                    if (journal == null) {
                        journal = Journal.create(journalPath);
                    }
                    crdsInstalled = installMissingCrds(conn, discovery, archive, journal, progress);
                }
                progress.phase("preflight: checking " + archive.objects().size() + " objects against the target (server-side dry run)");
                preflight = new Preflight(client, discovery, conn.concurrency()).run(archive, req, createdBefore,
                        req.resume() ? journal.runId() : null);
                if (!preflight.problems().isEmpty()) {
                    if (!crdsInstalled.isEmpty()) {
                        new Rollback(client, Map.of()).run(journal.records(), Map.of(), Rollback.Sweep.NONE);
                        journal.delete();
                    } else if (journal != null && !req.resume()) {
                        journal.delete();
                    }
                    throw new PivotctlException(Outcome.INVALID, "preflight failed: " + preflight.problems().size()
                            + " problem(s); nothing was changed on the target", preflight.problems());
                }
                preflight.notes().forEach(progress::warning);
                progress.phase(planText(preflight));
            }
            if (req.dryRun()) {
                return new ImportSummary(manifest.archiveId(), true, preflight, Map.of(), Map.of(), Map.of(), false, warnings,
                        (System.nanoTime() - start) / 1_000_000);
            }
            if (journal == null) {
                journal = Journal.create(journalPath);
            }
            if (preflight != null) {
                for (List<PlannedObject> level : preflight.levels()) {
                    for (PlannedObject p : level) {
                        if (preflight.adopted().contains(p.id())) { // journaled now, so a rollback deletes it by UID-less id as well
                            journal.append("create", EntryPaths.id(p.id()), p.type().qualifiedResource(), p.oldUid(),
                                    p.existing().path("metadata").path("uid").asText(), p.level());
                            createdBefore.add(p.id());
                            uidMap.put(p.oldUid(), p.existing().path("metadata").path("uid").asText());
                        }
                    }
                }
            }
            return apply(req, archive, preflight, writeLeases, journal, client, uidMap, createdBefore, statusBefore, progress, warnings, start);
        }
    }

    private ImportSummary apply(ImportRequest req, LoadedArchive archive, PreflightResult preflight, boolean writeLeases, Journal journal,
            ResourceClient client,
            Map<String, String> uidMap, Set<ObjectId> createdBefore, Set<ObjectId> statusBefore, ImportProgress progress, List<String> warnings,
            long start) {
        Manifest manifest = archive.manifest();
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancelled.set(true);
            try {
                finished.await(120, TimeUnit.SECONDS); // let the main thread roll back before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pivotctl-import-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        io.pivotctl.GracefulStop.enter();
        Map<ObjectId, ObjectNode> previous = new ConcurrentHashMap<>();
        Map<String, ResourceType> typesByResource = new HashMap<>();
        boolean leasesRestored = false;
        Applier applier = new Applier(client, journal, req, manifest.archiveId(), uidMap, statusBefore, previous, cancelled, warnings::add);
        Rollback.Sweep sweep = new Rollback.Sweep(journal.runId(), namespacesOf(archive, req));
        try {
            if (writeLeases) {
                progress.phase("restoring dnsmasq leases into ConfigMap " + req.leasesNamespace() + "/" + req.leasesConfigMap());
                leasesRestored = new LeasesRestore(client, journal).restore(archive.leases().get(), req.leasesNamespace(), req.leasesConfigMap(),
                        req.onConflict(), manifest.archiveId(), previous);
            }
            if (preflight != null) {
                preflight.missingNamespaces().forEach(ns -> LeasesRestore.ensureNamespace(client, journal, ns));
                preflight.levels().forEach(l -> l.forEach(p -> typesByResource.put(p.type().qualifiedResource(), p.type())));
                int levelIndex = 0;
                for (List<PlannedObject> level : preflight.levels()) {
                    applier.applyLevel(withLive(level, createdBefore, client), levelIndex, client.connection().concurrency(), createdBefore);
                    progress.levelDone(levelIndex + 1, preflight.levels().size(), level.size());
                    levelIndex++;
                }
                if (!req.keepPaused()) {
                    progress.phase("unpausing Clusters and BareMetalHosts to their archived values");
                    unpause(preflight, client, createdBefore, manifest);
                }
            }
            if (cancelled.get()) {
                throw new Applier.CancelledException();
            }
            journal.append("finish", null, null, null, null, null);
            journal.delete();
            warnings.forEach(progress::warning);
            return new ImportSummary(manifest.archiveId(), false, preflight, counts(applier.counts.created()), counts(applier.counts.skipped()),
                    counts(applier.counts.updated()), leasesRestored, warnings, (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException failure) {
            String why = failure instanceof PivotctlException pe ? pe.getMessage()
                    : failure instanceof Applier.CancelledException ? "interrupted (Ctrl-C/SIGTERM)"
                    : ApiErrors.describe(failure, "import", "archive " + manifest.archiveId(), client.connection().server()).getMessage();
            if (req.noRollback()) {
                journal.close();
                throw PivotctlException.failed("import failed: " + why + "; --no-rollback: what was created stays, journal kept at "
                        + journal.path() + "; run again with --resume to finish");
            }
            progress.phase("import failed (" + why + "): rolling back");
            if (!client.connection().awaitReachable(0)) {
                progress.phase("the API server does not answer: waiting up to " + ROLLBACK_WAIT_SECONDS + "s for it to come back to roll back");
                client.connection().awaitReachable(ROLLBACK_WAIT_SECONDS * 1000L);
            }
            Rollback.Report report = new Rollback(client, typesByResource).run(journal.records(), previous, sweep);
            if (report.failures().isEmpty()) {
                journal.delete();
            } else {
                journal.close();
            }
            throw new PivotctlException(Outcome.FAILED, "import failed: " + why + "; rolled back " + report.undone().size() + " change(s)"
                    + (report.failures().isEmpty() ? "" : ", " + report.failures().size() + " could NOT be rolled back (journal kept at " + journal.path()
                            + "): run 'pivotctl import " + req.archive() + " --rollback' once the server answers, or --resume to finish instead"),
                    report.details());
        } finally {
            io.pivotctl.GracefulStop.exit();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for `finished`, which is now counted down
            }
        }
    }

    /** How long a rollback waits for an API server that went away mid-import. */
    static final int ROLLBACK_WAIT_SECONDS = 120;

    /** The namespaces an import of this archive may have written into: archived objects' and the leases ConfigMap's. */
    private static Set<String> namespacesOf(LoadedArchive archive, ImportRequest req) {
        Set<String> out = new java.util.TreeSet<>();
        archive.objects().forEach(o -> {
            if (!o.id().namespace().isEmpty()) {
                out.add(o.id().namespace());
            }
        });
        out.add(req.leasesNamespace());
        return out;
    }

    /** {@code --rollback}: undo what a kept journal records (an import run with --no-rollback, or a rollback cut short). */
    private ImportSummary undoJournal(java.nio.file.Path journalPath, LoadedArchive archive, ResourceClient client, Discovery discovery,
            ImportRequest req, ImportProgress progress, long start) {
        if (!java.nio.file.Files.exists(journalPath)) {
            throw PivotctlException.usage("--rollback: no journal " + journalPath + " (nothing to roll back for this archive and target)");
        }
        Journal journal = Journal.resume(journalPath);
        Map<String, ResourceType> types = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (ArchivedObject o : archive.objects()) {
            Manifest.Entry e = o.entry();
            if (seen.add(e.group() + "/" + e.version() + "/" + e.kind())) {
                discovery.find(e.group(), e.version(), e.kind()).ifPresent(t -> types.put(t.qualifiedResource(), t));
            }
        }
        progress.phase("rolling back " + journal.records().stream().filter(r -> "create".equals(r.op())).count()
                + " journaled creates of " + journalPath);
        Rollback.Report report = new Rollback(client, types).run(journal.records(), Map.of(),
                new Rollback.Sweep(journal.runId(), namespacesOf(archive, req)));
        if (!report.failures().isEmpty()) {
            journal.close();
            throw new PivotctlException(Outcome.FAILED, "rollback incomplete: " + report.failures().size() + " change(s) could NOT be undone (journal kept at "
                    + journalPath + "; run --rollback again)", report.details());
        }
        journal.delete();
        return ImportSummary.rolledBack(archive.manifest().archiveId(), report.undone(), (System.nanoTime() - start) / 1_000_000);
    }

    /** On resume, objects created by the interrupted run are read back so status and UIDs can be completed. */
    private static List<PlannedObject> withLive(List<PlannedObject> level, Set<ObjectId> createdBefore, ResourceClient client) {
        if (createdBefore.isEmpty()) {
            return level;
        }
        List<PlannedObject> out = new ArrayList<>(level.size());
        for (PlannedObject p : level) {
            if (createdBefore.contains(p.id()) && p.existing() == null) {
                ObjectNode live = client.get(p.type(), p.id().namespace(), p.id().name()).orElse(null);
                out.add(new PlannedObject(p.archived(), p.type(), p.level(), live));
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Sets Clusters and hosts this import created to their archived pause state, except what the export paused only
     * for the move (manifest pausedByExport): that is unpaused, or the target would stay paused forever after a
     * pivot. The same patch marks them restored. In parallel: a fleet has thousands of hosts.
     */
    private static void unpause(PreflightResult preflight, ResourceClient client, Set<ObjectId> createdBefore, Manifest manifest) {
        Set<String> pausedForTheMove = new HashSet<>(manifest.pausedByExport());
        List<PlannedObject> ours = new ArrayList<>();
        preflight.levels().forEach(level -> level.stream()
                .filter(p -> Markers.isPausable(p.id().group(), p.id().kind()) && (!p.exists() || createdBefore.contains(p.id())))
                .forEach(ours::add));
        Parallel.map(ours, client.connection().concurrency(), p -> {
            ObjectNode archived = p.archived().object();
            ObjectId id = p.id();
            boolean forTheMove = pausedForTheMove.contains(EntryPaths.id(id));
            Map<String, Object> annotations = new LinkedHashMap<>();
            annotations.put(Markers.RESTORED_FROM, manifest.archiveId());
            Map<String, Object> patch = new LinkedHashMap<>();
            patch.put("metadata", Map.of("annotations", annotations));
            if (Markers.isCluster(id.group(), id.kind())) {
                patch.put("spec", Map.of("paused", !forTheMove && archived.path("spec").path("paused").asBoolean(false)));
            } else if (forTheMove || !ObjectPreparer.hasAnnotation(archived, Markers.BMH_PAUSED)) {
                annotations.put(Markers.BMH_PAUSED, null); // null removes it (JSON merge patch)
            }
            try {
                client.mergePatch(p.type(), id.namespace(), id.name(), Json.MAPPER.valueToTree(patch));
            } catch (RuntimeException e) {
                throw ApiErrors.describe(e, "unpause", id.toString(), client.connection().server());
            }
            return null;
        });
    }

    private static List<String> installMissingCrds(ClusterConnection conn, Discovery discovery, LoadedArchive archive, Journal journal,
            ImportProgress progress) {
        Set<String> needed = new java.util.TreeSet<>();
        for (ArchivedObject o : archive.objects()) {
            Manifest.Entry e = o.entry();
            if (!e.group().isEmpty() && discovery.find(e.group(), e.version(), e.kind()).isEmpty()) {
                needed.add(e.resource() + "." + e.group());
            }
        }
        List<String> installed = new ArrayList<>();
        for (String name : needed) {
            byte[] yaml = archive.crd(name).orElse(null);
            if (yaml == null) {
                continue; // preflight reports the kind as not served
            }
            CustomResourceDefinition crd;
            try {
                crd = Json.MAPPER.treeToValue(Json.YAML.readTree(yaml), CustomResourceDefinition.class);
            } catch (IOException e) {
                throw PivotctlException.invalid("archived CRD " + name + " does not parse");
            }
            progress.phase("installing CRD " + name);
            try {
                conn.client().apiextensions().v1().customResourceDefinitions().resource(crd).create();
            } catch (RuntimeException e) {
                if (!ApiErrors.isConflict(e)) {
                    throw ApiErrors.describe(e, "create", "customresourcedefinition " + name, conn.server());
                }
            }
            journal.append("crd", name, Rollback.CRD.qualifiedResource(), null, null, -1);
            installed.add(name);
            conn.client().apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(c -> c != null && c.getStatus() != null
                    && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 60, TimeUnit.SECONDS);
        }
        return installed;
    }

    static String planText(PreflightResult preflight) {
        StringBuilder b = new StringBuilder("plan: " + preflight.objectCount() + " objects in " + preflight.levels().size() + " levels");
        int i = 0;
        for (List<PlannedObject> level : preflight.levels()) {
            Map<String, Integer> kinds = new TreeMap<>();
            level.forEach(p -> kinds.merge(p.id().qualifiedKind(), 1, Integer::sum));
            b.append("\n  level ").append(i++).append(": ").append(level.size()).append(" ").append(kinds);
        }
        return b.toString();
    }

    private static Map<String, Integer> counts(Map<String, AtomicInteger> m) {
        Map<String, Integer> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}

package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.ObjectDiff;
import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.Parallel;
import io.pivotctl.kube.GroupVersionKind;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.validate.LoadedArchive;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the target before anything is written: every archived kind is served at its archived
 * version, namespaces exist or will be created, conflicts are found and judged by the policy, and
 * every create is tried with server-side dry run so admission and schema errors surface now.
 */
final class Preflight {

    private final ResourceApi client;
    private final Discovery discovery;
    private final ConflictPolicy onConflict;
    private final DryRuns.Scope dryRunScope;
    private final ImportRequest.Part part;
    private final int concurrency;

    Preflight(ResourceApi client, Discovery discovery, ImportRequest req) {
        this.client = client;
        this.discovery = discovery;
        this.onConflict = req.onConflict();
        this.dryRunScope = req.dryRunScope();
        this.part = req.part();
        this.concurrency = client.concurrency();
    }

    /** Preflight found problems: exit 3, nothing changed (unless CRDs this run installed had to be rolled back). */
    static final class Failed extends PivotctlException {
        private static final long serialVersionUID = 1L;

        Failed(List<String> problems) {
            super(Outcome.INVALID, "preflight failed: " + problems.size() + " problem(s); nothing was changed on the target", problems);
        }
    }

    /** Runs the preflight and says so; problems end the run ({@link Failed}) before anything else is written. */
    PreflightResult require(LoadedArchive archive, EarlierRun earlier, ImportProgress progress) {
        progress.phase("preflight: checking " + archive.objects().size() + " objects against the target (server-side dry run)");
        PreflightResult result = run(archive, earlier);
        if (!result.problems().isEmpty()) {
            throw new Failed(result.problems());
        }
        return result;
    }

    /** Tells what preflight noted (conflicts skipped, namespaces to create, fields the target drops) and the plan. */
    static void report(PreflightResult result, ImportProgress progress) {
        result.notes().forEach(progress::warning);
        progress.phase(planText(result));
    }

    static String planText(PreflightResult preflight) {
        StringBuilder b = new StringBuilder("plan: " + preflight.objectCount() + " objects in " + preflight.levels().size() + " levels");
        int i = 0;
        for (List<PlannedObject> level : preflight.levels()) {
            Map<String, Integer> kinds = new TreeMap<>();
            level.forEach(p -> kinds.merge(p.id().qualifiedKind(), 1, Integer::sum));
            b.append("\n  level ").append(i++).append(": ").append(level.size()).append(" ").append(kinds);
        }
        return b.append('\n').append(DryRuns.describe(preflight.dryRuns())).toString();
    }

    /** What preflight found: problems stop the import, notes are told. Filled from several threads. */
    private static final class Findings {
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        final List<String> notes = Collections.synchronizedList(new ArrayList<>());

        List<String> sortedProblems() {
            List<String> out = new ArrayList<>(problems);
            Collections.sort(out);
            return out;
        }
    }

    /**
     * The namespaces the import will create, and where objects bound for them are dry-run meanwhile: the server refuses
     * even a dry-run create in a namespace that does not exist, so they are dry-run in an existing stand-in namespace,
     * which checks schema and admission without writing anything. No stand-in (null): they are checked at apply.
     */
    private record MissingNamespaces(Set<String> names, String standIn) {
        boolean contains(String namespace) {
            return names.contains(namespace);
        }
    }

    /** The plan with what exists on the target now, how many of those are conflicts, and what --resume adopts. */
    private record Judged(List<PlannedObject> planned, int conflicts, Set<ObjectId> adopted) {
    }

    /** {@code earlier}: what the interrupted run created when resuming (its own objects are adopted), else {@link EarlierRun#NONE}. */
    PreflightResult run(LoadedArchive archive, EarlierRun earlier) {
        Findings found = new Findings();
        Map<GroupVersionKind, Optional<ResourceType>> types = resolveTypes(archive, found.problems);
        Set<String> missing = missingNamespaces(archive, found);
        missing.forEach(ns -> found.notes.add("namespace " + ns + " will be created"));
        MissingNamespaces toCreate = new MissingNamespaces(missing, missing.isEmpty() ? null : standInNamespace());
        List<PlannedObject> planned = planned(archive, types);
        Map<ObjectId, ObjectNode> existing = existing(planned, toCreate, found);
        DryRuns dryRuns = new DryRuns(dryRunScope, admissionFacts(planned, toCreate));
        dryRunCreates(planned, existing, toCreate, new DryRunContext(archive.manifest().archiveId(), dryRuns), found);
        Judged judged = judge(planned, existing, earlier, found);
        return new PreflightResult(levels(judged.planned()), missing, found.sortedProblems(), found.notes, judged.conflicts(), judged.adopted(),
                dryRuns.tally());
    }

    /** The archive a dry run's body comes from, and which dry runs are needed. */
    private record DryRunContext(String archiveId, DryRuns dryRuns) {
    }

    /** Read only when some core Secret or ConfigMap could skip its dry run: for the namespaces that exist. */
    private AdmissionFacts admissionFacts(List<PlannedObject> planned, MissingNamespaces toCreate) {
        if (dryRunScope == DryRuns.Scope.EVERY_OBJECT) {
            return AdmissionFacts.unknown("--preflight=every-object");
        }
        Set<String> namespaces = new TreeSet<>();
        planned.stream().map(PlannedObject::id).filter(DryRuns::isCore)
                .map(ObjectId::namespace).filter(ns -> !toCreate.contains(ns)).forEach(namespaces::add);
        return namespaces.isEmpty() ? AdmissionFacts.unknown("no core Secret or ConfigMap in an existing namespace")
                : AdmissionFacts.read(client, discovery, namespaces);
    }

    /** The namespaces archived objects live in that the target lacks; one being deleted is a problem. */
    private Set<String> missingNamespaces(LoadedArchive archive, Findings found) {
        Set<String> missing = new TreeSet<>();
        archive.objects().stream().map(o -> o.id().namespace()).filter(ns -> !ns.isEmpty()).distinct().forEach(ns -> {
            try {
                Optional<ObjectNode> live = client.get(ResourceType.NAMESPACE, null, ns);
                if (live.isEmpty()) {
                    missing.add(ns);
                } else if (live.get().path("metadata").has("deletionTimestamp")) {
                    found.problems.add("namespace " + ns + " is being deleted (Terminating) on the target: wait until it is gone, then import again");
                }
            } catch (RuntimeException e) {
                found.problems.add(ApiErrors.describe(e, "get", "namespace " + ns, client.server()).getMessage());
            }
        });
        return missing;
    }

    /** Every archived object of a served kind, at its restore level (kinds not served are reported once each). */
    private static List<PlannedObject> planned(LoadedArchive archive, Map<GroupVersionKind, Optional<ResourceType>> types) {
        Map<String, Integer> levelOf = archive.manifest().graph().levelOf();
        List<PlannedObject> planned = new ArrayList<>();
        for (ArchivedObject o : archive.objects()) {
            Optional<ResourceType> t = types.get(o.entry().gvk());
            if (t != null && t.isPresent()) {
                planned.add(new PlannedObject(o, t.get(), levelOf.getOrDefault(EntryPaths.id(o.id()), 0)));
            }
        }
        return planned;
    }

    /** The planned objects that exist on the target: one list per kind and namespace instead of one read per object. */
    private Map<ObjectId, ObjectNode> existing(List<PlannedObject> planned, MissingNamespaces toCreate, Findings found) {
        Map<String, List<PlannedObject>> byTypeAndNamespace = new LinkedHashMap<>();
        for (PlannedObject p : planned) {
            if (!toCreate.contains(p.id().namespace())) {
                byTypeAndNamespace.computeIfAbsent(p.type().qualifiedResource() + "@" + p.id().namespace(), k -> new ArrayList<>()).add(p);
            }
        }
        Set<ObjectId> plannedIds = new HashSet<>();
        planned.forEach(p -> plannedIds.add(p.id()));
        Map<ObjectId, ObjectNode> existing = new ConcurrentHashMap<>();
        Parallel.map(new ArrayList<>(byTypeAndNamespace.values()), concurrency, group -> {
            PlannedObject first = group.get(0);
            try {
                // streamed page by page: the target may hold far more than the archive, and only possible conflicts are kept
                client.forEach(first.type(), first.type().namespaced() ? first.id().namespace() : null, null, live -> {
                    ObjectId liveId = ObjectId.of(live);
                    if (plannedIds.contains(liveId)) {
                        existing.put(liveId, live);
                    }
                });
            } catch (RuntimeException e) {
                found.problems.add(ApiErrors.describe(e, "list", first.type().qualifiedResource() + " in namespace " + first.id().namespace(),
                        client.server()).getMessage());
            }
            return null;
        });
        return existing;
    }

    /** Tries every create that is not a conflict as a server-side dry run: admission and schema errors, and dropped fields, surface now. */
    private void dryRunCreates(List<PlannedObject> planned, Map<ObjectId, ObjectNode> existing, MissingNamespaces toCreate, DryRunContext context,
            Findings found) {
        List<String> pruned = Collections.synchronizedList(new ArrayList<>());
        Parallel.map(planned, dryRunConcurrency(concurrency), p -> {
            if (existing.containsKey(p.id())) {
                return null; // a conflict, judged below
            }
            boolean elsewhere = toCreate.contains(p.id().namespace());
            if (elsewhere && toCreate.standIn() == null) {
                return null; // no stand-in namespace readable: checked at apply
            }
            try {
                ObjectNode body = ObjectPreparer.forCreate(p.archived().object(), ObjectPreparer.Owners.AS_ARCHIVED, context.archiveId(), false, w -> { });
                if (context.dryRuns().skip(p.id(), body, !elsewhere)) {
                    return null; // its create's answer is known in advance (DryRuns): asking the server decides nothing
                }
                if (elsewhere) {
                    body.with("metadata").put("namespace", toCreate.standIn());
                }
                ObjectNode wouldStore = client.create(p.type(), body, true);
                pruned.addAll(droppedFields(p, body, wouldStore));
            } catch (RuntimeException e) {
                if (elsewhere && ApiErrors.isConflict(e)) {
                    return null; // the stand-in holds an object of that name: "exists" is decided after validation passed
                }
                found.problems.add(p.id() + ": the target rejects it (dry run): " + ApiErrors.describe(e, "create", p.id().toString(),
                        client.server()).getMessage());
            }
            return null;
        });
        pruned.stream().sorted().forEach(found.notes::add);
    }

    /**
     * Each object that exists on the target: the interrupted run's own (--resume: the journaled UID, or its label),
     * adopted; a shared global, adopted; with --cluster one shared with a Cluster not being restored, or the archived
     * object itself, used as it is; anything else a conflict the policy decides, including an object the interrupted
     * run created that was replaced since (same name, another UID), which is named as such.
     */
    private Judged judge(List<PlannedObject> planned, Map<ObjectId, ObjectNode> existing, EarlierRun earlier, Findings found) {
        int conflicts = 0;
        Set<ObjectId> adopted = new TreeSet<>();
        List<PlannedObject> withExisting = new ArrayList<>();
        for (PlannedObject p : planned) {
            ObjectNode live = existing.get(p.id());
            boolean ours = live != null && earlier.owns(p.id(), live);
            PlannedObject.Presence presence = live == null || ours && earlier.journaled(p.id()) ? PlannedObject.Presence.ABSENT
                    : ours ? PlannedObject.Presence.RESUMED : presence(p, live);
            if (presence == PlannedObject.Presence.RESUMED) {
                adopted.add(p.id());
                found.notes.add(p.id() + " was created by the interrupted run (its answer was lost): resumed");
            } else if (presence == PlannedObject.Presence.GLOBAL) {
                found.notes.add(p.id() + " exists (cluster-scoped, shared): adopted as it is, never updated");
            } else if (presence.asIs()) {
                found.notes.add(p.id() + " " + presence.describe() + ", never updated" + lostOwners(p, live));
            } else if (presence == PlannedObject.Presence.CONFLICT) {
                conflicts++;
                String what = earlier.journaled(p.id()) ? earlier.replaced(p.id(), live) : p.id() + " already exists on the target";
                if (onConflict == ConflictPolicy.FAIL) {
                    found.problems.add(what + " (use --on-conflict skip or update)");
                } else {
                    found.notes.add(what + ": " + (onConflict == ConflictPolicy.SKIP ? "skipped" : "will be updated"));
                }
            }
            withExisting.add(new PlannedObject(p.archived(), p.type(), p.level(), live, presence));
        }
        return new Judged(withExisting, conflicts, adopted);
    }

    /**
     * The archived owners a used-as-is object no longer names on the target (the garbage collector drops the reference to a
     * deleted owner): import does not add them back, so the object now goes with its remaining owners. Empty when none.
     */
    private static String lostOwners(PlannedObject p, ObjectNode live) {
        Set<String> liveOwners = new TreeSet<>();
        live.path("metadata").path("ownerReferences").forEach(r -> liveOwners.add(r.path("kind").asText() + " " + r.path("name").asText()));
        Set<String> lost = new TreeSet<>();
        p.archived().object().path("metadata").path("ownerReferences").forEach(r -> {
            String owner = r.path("kind").asText() + " " + r.path("name").asText();
            if (!liveOwners.contains(owner)) {
                lost.add(owner);
            }
        });
        return lost.isEmpty() ? "" : "; its ownerReference to " + String.join(", ", lost) + " is gone on the target and is not restored"
                + " (it now goes with its remaining owners)";
    }

    /** What an object that exists on the target, and is not the interrupted run's, is to this import. */
    private PlannedObject.Presence presence(PlannedObject p, ObjectNode live) {
        if (Applier.isGlobal(p.id())) {
            return PlannedObject.Presence.GLOBAL;
        }
        if (part.partial() && part.sharedWithOthers().contains(p.id())) {
            return PlannedObject.Presence.SHARED;
        }
        if (part.partial() && !p.oldUid().isEmpty() && p.oldUid().equals(ImportRun.uidOf(live))) {
            return PlannedObject.Presence.PRESENT;
        }
        return PlannedObject.Presence.CONFLICT;
    }

    /** The objects by level, each level sorted, empty levels dropped. */
    private static List<List<PlannedObject>> levels(List<PlannedObject> planned) {
        int maxLevel = planned.stream().mapToInt(PlannedObject::level).max().orElse(-1);
        List<List<PlannedObject>> levels = new ArrayList<>();
        for (int i = 0; i <= maxLevel; i++) {
            levels.add(new ArrayList<>());
        }
        planned.stream().sorted((a, b) -> a.id().compareTo(b.id())).forEach(p -> levels.get(p.level()).add(p));
        levels.removeIf(List::isEmpty);
        return levels;
    }

    /**
     * Dry runs store nothing and hold no lock on the server, so they may run wider than writes: the apiserver
     * spends them mostly on admission and validation, and more of them in flight hides the round trips.
     * Bounded by the client's per-host limit (twice --concurrency, see KubeConnector).
     */
    static int dryRunConcurrency(int writeConcurrency) {
        return Math.max(1, writeConcurrency * DRY_RUN_WIDENING);
    }

    /** How much wider than writes dry runs go (measured with scripts/bench.sh; see the README). */
    static final int DRY_RUN_WIDENING = 2;

    /** "default" when it exists and is not being deleted (it always does on a working cluster), else null. */
    private String standInNamespace() {
        try {
            return client.get(ResourceType.NAMESPACE, null, "default").filter(n -> !n.path("metadata").has("deletionTimestamp"))
                    .map(n -> "default").orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Map<GroupVersionKind, Optional<ResourceType>> resolveTypes(LoadedArchive archive, List<String> problems) {
        Map<GroupVersionKind, Optional<ResourceType>> out = new HashMap<>();
        Map<String, List<ResourceType>> byGroupVersion = new HashMap<>();
        for (ArchivedObject o : archive.objects()) {
            Manifest.Entry e = o.entry();
            GroupVersionKind k = e.gvk();
            if (out.containsKey(k)) {
                continue;
            }
            Optional<ResourceType> t;
            if (e.group().isEmpty()) {
                t = discovery.find("", e.version(), e.kind());
            } else {
                List<ResourceType> served = byGroupVersion.computeIfAbsent(e.group() + "/" + e.version(), gv -> discovery.typesOf(e.group(), e.version()));
                t = served.stream().filter(r -> r.kind().equals(e.kind())).findFirst();
            }
            if (t.isEmpty()) {
                String crd = e.resource() + "." + e.group();
                List<String> versions = discovery.servedVersions(e.group());
                problems.add(e.kind() + "." + e.group() + " " + e.version() + " is not served by the target"
                        + (versions.isEmpty() ? "" : " (it serves " + String.join(", ", versions) + ")")
                        + (archive.crd(crd).isPresent() && versions.isEmpty() ? ": install the provider CRDs first or pass --install-crds"
                                : ": install provider CRDs that serve " + e.version()));
            }
            out.put(k, t);
        }
        return out;
    }

    /**
     * Fields the target would silently drop (a structural schema prunes what it does not know): data loss
     * the user must hear about before anything is written. Read from the dry run's answer.
     */
    static List<String> droppedFields(PlannedObject p, ObjectNode body, ObjectNode wouldStore) {
        List<String> out = new ArrayList<>();
        for (String field : List.of("spec", "data", "stringData")) {
            if (body.has(field)) {
                ObjectDiff.missingOrDifferent(body.get(field), wouldStore.get(field), field).stream()
                        .filter(d -> d.endsWith(" is missing"))
                        .forEach(d -> out.add(p.id() + ": the target drops " + d.substring(0, d.length() - " is missing".length())
                                + " (unknown to its schema); check the provider versions"));
            }
        }
        return out;
    }


}

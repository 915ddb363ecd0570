package io.pivotctl.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ClusterConnection;
import io.pivotctl.kube.KubeConnector;
import io.pivotctl.kube.KubeTarget;
import io.pivotctl.kube.ResourceClient;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.vocabulary.ClusterApi;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.vocabulary.PivotctlMarks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Supplier;

/**
 * {@code export --pause}: stops the source from acting while the target takes over. Clusters get
 * {@code spec.paused: true} (and the marker annotation {@link PivotctlMarks#PAUSED_BY}, since spec.paused names no
 * owner); BareMetalHosts get the annotation {@link Metal3#HOST_PAUSED}: {@link PivotctlMarks#PAUSED_BY_PIVOTCTL}. What already carries
 * pivotctl's marker (an earlier --pause export) counts as paused by pivotctl, so a re-run records it again; what
 * someone else paused is left alone and not recorded.
 *
 * <p>Order, as clusterctl move does it: Clusters first, then wait until no selected object carries
 * {@link ClusterApi#BLOCK_MOVE} (providers such as CAPM3 lift it once they see the Cluster paused and have written their
 * own bookkeeping), then the hosts. If the export fails at any point after this run patched something,
 * {@link #undoAfter} unpauses exactly what this run paused, each object only if it is still the same object
 * (UID) and still carries our marker.
 */
public final class Pauser {

    public static final Duration DEFAULT_BLOCK_MOVE_TIMEOUT = Duration.ofMinutes(5);
    static final long POLL_MILLIS = 1000;
    static final long PROGRESS_EVERY_MILLIS = 10_000;

    /** What the pause step hands back: every object paused by pivotctl (this run or an earlier one), and the re-read paused state. */
    record Paused(List<ObjectId> pausedByPivotctl, Inventory inventory) {
    }

    /** One patch this run made, with what undoing it needs. */
    private record Change(ObjectId id, ResourceType type, String uid, boolean hadPausedField) {
    }

    private final KubeTarget target;
    private final ExportProgress progress;
    private final Duration blockMoveTimeout;
    private final List<Change> changes = new ArrayList<>(); // guarded by this, as are stopped and hook
    private boolean stopped;
    private Thread hook;
    private long deadline;

    Pauser(KubeTarget target, ExportProgress progress, Duration blockMoveTimeout) {
        this.target = target;
        this.progress = progress;
        this.blockMoveTimeout = blockMoveTimeout;
    }

    /** Checked before anything is paused: the archive's directory must exist and take a file (a late failure would pause for nothing). */
    Paused pause(ResourceClient client, Inventory inventory, SortedSet<ObjectId> selected, Supplier<Inventory> reread) {
        deadline = System.currentTimeMillis() + blockMoveTimeout.toMillis();
        List<ObjectId> ours = new ArrayList<>();
        for (ObjectId id : selected) {
            if (id.isCapiCluster()) {
                pauseCluster(client, inventory, id).ifPresent(ours::add);
            }
        }
        awaitNoBlockMove(client, inventory, selected);
        for (ObjectId id : selected) {
            if (id.isBareMetalHost()) {
                pauseHost(client, inventory, id).ifPresent(ours::add);
            }
        }
        while (true) {
            Inventory now = reread.get(); // what we archive is the paused state
            if (blockers(now, selected).isEmpty()) {
                return new Paused(ours, now);
            }
            awaitNoBlockMove(client, now, selected); // set again meanwhile: wait (same deadline), then read again
        }
    }

    /** Pauses a Cluster unless it is paused already; one paused with pivotctl's marker counts as ours. */
    private Optional<ObjectId> pauseCluster(ResourceClient client, Inventory inventory, ObjectId id) {
        return pauseUnlessPaused(client, inventory, id, o -> o.path("spec").path("paused").asBoolean(false)
                ? Optional.of(PivotctlMarks.PAUSED_BY_PIVOTCTL.equals(annotation(o, PivotctlMarks.PAUSED_BY))) : Optional.empty(),
                (o, meta) -> {
                    meta.put("annotations", Map.of(PivotctlMarks.PAUSED_BY, PivotctlMarks.PAUSED_BY_PIVOTCTL));
                    return Map.of("metadata", meta, "spec", Map.of("paused", true));
                });
    }

    /** Pauses a host unless it carries the paused annotation already (any value pauses); the value pivotctl counts as ours. */
    private Optional<ObjectId> pauseHost(ResourceClient client, Inventory inventory, ObjectId id) {
        return pauseUnlessPaused(client, inventory, id, o -> annotation(o, Metal3.HOST_PAUSED) == null
                ? Optional.empty() : Optional.of(PivotctlMarks.PAUSED_BY_PIVOTCTL.equals(annotation(o, Metal3.HOST_PAUSED))),
                (o, meta) -> {
                    meta.put("annotations", Map.of(Metal3.HOST_PAUSED, PivotctlMarks.PAUSED_BY_PIVOTCTL));
                    return Map.of("metadata", meta);
                });
    }

    /**
     * @param pausedAlready empty when not paused; otherwise whether the pause is pivotctl's
     * @param patchFor the pause patch, given the object and its metadata preconditions to extend
     * @return the object when it ends up paused by pivotctl
     */
    private Optional<ObjectId> pauseUnlessPaused(ResourceClient client, Inventory inventory, ObjectId id,
            java.util.function.Function<ObjectNode, Optional<Boolean>> pausedAlready,
            java.util.function.BiFunction<ObjectNode, Map<String, Object>, Map<String, Object>> patchFor) {
        ResourceType type = inventory.typeOf(id);
        ObjectNode o = inventory.pauseView(id);
        for (int attempt = 0; o != null; attempt++) {
            Optional<Boolean> paused = pausedAlready.apply(o);
            if (paused.isPresent()) {
                return paused.get() ? Optional.of(id) : Optional.empty();
            }
            // preconditions: never pause a replacement of what was selected (uid), nor decide on a stale read
            // (resourceVersion: a provider may have paused it meanwhile, e.g. CAPM3 once the Cluster is paused)
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("uid", uid(o));
            meta.put("resourceVersion", o.path("metadata").path("resourceVersion").asText());
            try {
                record(client, new Change(id, type, uid(o), o.path("spec").has("paused")), patchFor.apply(o, meta));
                return Optional.of(id);
            } catch (RuntimeException e) {
                if (e instanceof PivotctlException || !ApiErrors.isConflict(e) || attempt >= 3) {
                    throw e instanceof PivotctlException pe ? pe : ApiErrors.describe(e, "pause", id.toString(), client.connection().server());
                }
                try {
                    o = client.get(type, id.namespace(), id.name()).orElse(null); // changed since read: decide again
                } catch (RuntimeException again) {
                    throw ApiErrors.describe(again, "get", id.toString(), client.connection().server());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Pauses and remembers, atomically with respect to the shutdown hook: a signal either finds the patch done and
     * recorded (and undoes it) or stops the patch from being sent.
     */
    private synchronized void record(ResourceClient client, Change change, Map<String, Object> body) {
        if (stopped) {
            throw PivotctlException.failed("interrupted while pausing");
        }
        client.mergePatch(change.type(), change.id().namespace(), change.id().name(), Json.MAPPER.valueToTree(body));
        changes.add(change);
        if (hook == null) {
            hook = new Thread(this::undoOnSignal, "pivotctl-export-unpause");
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** The export succeeded: what it paused stays paused (the pivot workflow). */
    synchronized void keep() {
        changes.clear();
        removeHook();
    }

    /** Ctrl-C/SIGTERM while something is paused: unpause it before the JVM exits, and say so. */
    private synchronized void undoOnSignal() {
        stopped = true;
        if (!changes.isEmpty()) {
            Undo u = undoAll();
            progress.warning("interrupted: " + u.summary().substring(2));
            u.details().forEach(progress::warning);
        }
    }

    private void removeHook() {
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it finds nothing left to undo, or undoes it
            }
            hook = null;
        }
    }

    /** What an undo did: {@code summary} starts with "; " to be appended to a message. */
    private record Undo(String summary, List<String> details) {
    }

    /** Polls the objects that carry block-move until none does, or fails at the deadline naming one of them. */
    private void awaitNoBlockMove(ResourceClient client, Inventory inventory, SortedSet<ObjectId> selected) {
        List<ObjectId> waiting = blockers(inventory, selected);
        if (waiting.isEmpty()) {
            return;
        }
        long started = deadline - blockMoveTimeout.toMillis(); // one budget for the whole pause step
        long lastReport = System.currentTimeMillis();
        progress.phase("waiting up to " + seconds(blockMoveTimeout.toMillis()) + " (--block-move-timeout) until " + waiting.size() + " object(s) no longer carry " + ClusterApi.BLOCK_MOVE
                + " (their provider is finishing its own move bookkeeping): " + names(waiting));
        while (true) {
            waiting.removeIf(id -> {
                ResourceType type = inventory.typeOf(id);
                Optional<ObjectNode> live;
                try {
                    live = client.get(type, id.namespace(), id.name());
                } catch (RuntimeException e) {
                    throw ApiErrors.describe(e, "get", id.toString(), client.connection().server());
                }
                return live.isEmpty() || annotation(live.get(), ClusterApi.BLOCK_MOVE) == null;
            });
            long now = System.currentTimeMillis();
            if (waiting.isEmpty()) {
                progress.phase(ClusterApi.BLOCK_MOVE + " lifted after " + seconds(now - started));
                return;
            }
            if (now >= deadline) {
                throw PivotctlException.failed(waiting.get(0) + " still carries " + ClusterApi.BLOCK_MOVE + " after " + seconds(now - started)
                        + (waiting.size() > 1 ? " (and " + (waiting.size() - 1) + " more object(s))" : "")
                        + ": its provider is not ready for a move; retry later or raise --block-move-timeout");
            }
            if (now - lastReport >= PROGRESS_EVERY_MILLIS) {
                progress.phase("still waiting (" + seconds(now - started) + ") for " + ClusterApi.BLOCK_MOVE + " to be lifted from " + names(waiting));
                lastReport = now;
            }
            try {
                Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, deadline - now)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PivotctlException.failed("interrupted while waiting for " + ClusterApi.BLOCK_MOVE + " to be lifted from " + names(waiting));
            }
        }
    }

    private static List<ObjectId> blockers(Inventory inventory, SortedSet<ObjectId> selected) {
        List<ObjectId> out = new ArrayList<>();
        for (ObjectId id : selected) {
            ObjectNode o = inventory.pauseView(id);
            if (o != null && annotation(o, ClusterApi.BLOCK_MOVE) != null) {
                out.add(id);
            }
        }
        return out;
    }

    /**
     * Called with the failure of an export: unpauses what this run paused (nothing else) and returns the failure, its
     * message extended by what was unpaused and what could not be. Uses a fresh connection: the export's may be the
     * thing that broke.
     */
    synchronized RuntimeException undoAfter(RuntimeException failure) {
        removeHook();
        if (changes.isEmpty()) {
            return failure;
        }
        Undo u = undoAll();
        String message = failure instanceof PivotctlException ? failure.getMessage()
                : failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage().lines().findFirst().orElse(""));
        List<String> details = new ArrayList<>(failure instanceof PivotctlException pe ? pe.details() : List.of());
        details.addAll(u.details());
        Outcome outcome = failure instanceof PivotctlException pe ? pe.outcome() : Outcome.FAILED;
        return new PivotctlException(outcome, message + u.summary(), details);
    }

    private Undo undoAll() {
        List<String> undone = new ArrayList<>();
        List<String> notUndone = new ArrayList<>();
        try (ClusterConnection conn = KubeConnector.connect(target)) {
            ResourceClient client = new ResourceClient(conn);
            List<Change> newestFirst = new ArrayList<>(changes);
            java.util.Collections.reverse(newestFirst);
            for (Change c : newestFirst) {
                try {
                    String result = undo(client, c);
                    if (result == null) {
                        undone.add(c.id().toString());
                    } else {
                        notUndone.add(c.id() + " (" + result + ")");
                    }
                } catch (RuntimeException e) {
                    notUndone.add(c.id() + " (" + ApiErrors.describe(e, "unpause", c.id().toString(), conn.server()).getMessage() + ")");
                }
            }
        } catch (RuntimeException e) {
            if (undone.isEmpty() && notUndone.isEmpty()) {
                changes.stream().map(c -> c.id() + " (cannot connect to unpause it)").forEach(notUndone::add);
            }
        }
        changes.clear();
        StringBuilder b = new StringBuilder();
        if (!undone.isEmpty()) {
            b.append("; unpaused the ").append(undone.size()).append(" object(s) this export had paused");
        }
        if (!notUndone.isEmpty()) {
            b.append("; could NOT unpause ").append(notUndone.size()).append(" object(s), ").append(unpauseHint());
        }
        List<String> details = new ArrayList<>();
        undone.forEach(u -> details.add("unpaused " + u));
        notUndone.forEach(n -> details.add("still paused: " + n));
        return new Undo(b.toString(), details);
    }

    /** Null when undone (or nothing left to undo); otherwise why it was left alone. Retries a lost race (409) a few times. */
    private static String undo(ResourceClient client, Change c) {
        for (int attempt = 0; ; attempt++) {
            Optional<ObjectNode> live = client.get(c.type(), c.id().namespace(), c.id().name());
            if (live.isEmpty()) {
                return "gone";
            }
            ObjectNode o = live.get();
            if (!c.uid().equals(uid(o))) {
                return "replaced by another object of that name, left alone";
            }
            Map<String, Object> annotations = new LinkedHashMap<>();
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("uid", c.uid());
            meta.put("resourceVersion", o.path("metadata").path("resourceVersion").asText());
            meta.put("annotations", annotations);
            Map<String, Object> patch = new LinkedHashMap<>();
            patch.put("metadata", meta);
            if (c.id().isCapiCluster()) {
                if (!PivotctlMarks.PAUSED_BY_PIVOTCTL.equals(annotation(o, PivotctlMarks.PAUSED_BY))) {
                    return "its pause is no longer pivotctl's, left alone";
                }
                annotations.put(PivotctlMarks.PAUSED_BY, null); // null removes it (JSON merge patch)
                Map<String, Object> spec = new LinkedHashMap<>();
                spec.put("paused", c.hadPausedField() ? Boolean.FALSE : null);
                patch.put("spec", spec);
            } else {
                if (!PivotctlMarks.PAUSED_BY_PIVOTCTL.equals(annotation(o, Metal3.HOST_PAUSED))) {
                    return "its pause is no longer pivotctl's, left alone";
                }
                annotations.put(Metal3.HOST_PAUSED, null);
            }
            try {
                client.mergePatch(c.type(), c.id().namespace(), c.id().name(), Json.MAPPER.valueToTree(patch));
                return null;
            } catch (RuntimeException e) {
                if (!ApiErrors.isConflict(e) || attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    /** Export's own pause marker on a Cluster is bookkeeping (pausedByExport records it): removed from what is archived. */
    static void dropPauseMarker(ObjectNode object) {
        if (object.path("metadata").path("annotations") instanceof ObjectNode a && a.has(PivotctlMarks.PAUSED_BY)
                && "Cluster".equals(object.path("kind").asText()) && object.path("apiVersion").asText().startsWith("cluster.x-k8s.io/")) {
            a.remove(PivotctlMarks.PAUSED_BY);
            if (a.isEmpty()) {
                ((ObjectNode) object.get("metadata")).remove("annotations");
            }
        }
    }

    private static String annotation(JsonNode o, String key) {
        JsonNode v = o.path("metadata").path("annotations").get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String uid(JsonNode o) {
        return o.path("metadata").path("uid").asText();
    }

    private static String names(List<ObjectId> ids) {
        List<String> shown = ids.stream().limit(5).map(ObjectId::toString).toList();
        return String.join(", ", shown) + (ids.size() > shown.size() ? " and " + (ids.size() - shown.size()) + " more" : "");
    }

    private static String seconds(long millis) {
        return Duration.ofMillis(millis).toSeconds() + "s";
    }

    /** What to run next, for the message export prints: both commands read what was paused from the manifest. */
    public static String unpauseHint() {
        return "to abort the pivot: pivotctl unpause ARCHIVE --kubeconfig SRC (undoes exactly these pauses); once the target is"
                + " verified: pivotctl release-source ARCHIVE --kubeconfig SRC (detaches and deletes what moved)";
    }
}

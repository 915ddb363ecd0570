package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Waits until the objects a rollback deleted are gone. Rollback deletes with {@code propagationPolicy: Orphan}, so
 * each stays Terminating with the {@code orphan} finalizer until the garbage collector has taken its ownerReference
 * off every dependent. Only then is the target as before the import for anyone listing it, and only then may the
 * namespaces and CRDs this run created be judged empty. Bounded: on a cluster whose garbage collector does not run
 * they never go, and the rollback says so instead of waiting forever. One list per resource type and namespace per
 * poll, not one read per object: a rollback of a fleet deletes tens of thousands.
 */
final class DeletionWait {

    static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final long POLL_MILLIS = 250;

    /** One object deleted: still there while an object of that name has this UID. */
    record Deleted(ResourceType type, ObjectId id, String uid) {
    }

    private final ResourceApi api;
    private final Duration timeout;
    /** Per type and namespace whose last list failed, why: its objects are pending for that reason, not seen Terminating. */
    private final Map<String, String> unlisted = new HashMap<>();

    DeletionWait(ResourceApi api, Duration timeout) {
        this.api = api;
        this.timeout = timeout;
    }

    /** The deleted objects still there when the wait ended (empty: all gone); a failed list counts as still there. */
    List<Deleted> await(List<Deleted> deleted) {
        List<Deleted> pending = new ArrayList<>(deleted);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Set<String>> liveUids = new HashMap<>();
            pending.removeIf(d -> !liveUids.computeIfAbsent(key(d), k -> uids(d)).contains(d.uid()));
            if (pending.isEmpty() || System.nanoTime() >= deadline) {
                return List.copyOf(pending);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.copyOf(pending);
            }
        }
    }

    /** Why {@code d} is still pending after {@link #await}: null when it was seen there (Terminating), else the failed list. */
    String unconfirmed(Deleted d) {
        return unlisted.get(key(d));
    }

    private static String key(Deleted d) {
        return d.type().qualifiedResource() + "@" + d.id().namespace();
    }

    /** The UIDs of the objects of {@code d}'s type in its namespace now; on a failed list, {@code d}'s (still there as far as anyone knows). */
    private Set<String> uids(Deleted d) {
        Set<String> out = new HashSet<>();
        String ns = d.type().namespaced() ? d.id().namespace() : null;
        try {
            for (ObjectNode o : api.list(d.type(), ns, null).items()) {
                out.add(ImportRun.uidOf(o));
            }
            unlisted.remove(key(d));
        } catch (RuntimeException e) {
            unlisted.put(key(d), ApiErrors.describe(e, "list", d.type().qualifiedResource() + (ns == null ? "" : " in namespace " + ns), api.server()).getMessage());
            out.add(d.uid());
        }
        return out;
    }
}

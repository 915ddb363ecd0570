package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchivedObject;
import io.pivotctl.archive.Manifest;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.GroupVersionKind;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceType;
import io.pivotctl.validate.LoadedArchive;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --install-crds}: creates the archived CRDs of kinds the target does not serve, and only those the target
 * has no CRD of that name for. A CRD the target already has (serving another version, say) is never written: the
 * preflight reports the version it lacks. A CRD is journaled only when this run's create made it (201, or a lost
 * answer whose object carries this run's label), so a rollback can never remove a CRD, and with it every object
 * of its kind, that the target had before.
 */
final class CrdInstaller {

    private static final long ESTABLISHED_TIMEOUT_MILLIS = 60_000;

    private final ResourceApi api;
    private final Discovery discovery;
    private final ImportRun run;

    CrdInstaller(ResourceApi api, Discovery discovery, ImportRun run) {
        this.api = api;
        this.discovery = discovery;
        this.run = run;
    }

    /** The CRD names installed; each is journaled before the next is tried. */
    List<String> install(LoadedArchive archive, ImportProgress progress) {
        List<String> installed = new ArrayList<>();
        for (String name : missing(archive)) {
            run.checkCancelled();
            byte[] yaml = archive.crd(name).orElse(null);
            if (yaml == null) {
                continue; // preflight reports the kind as not served
            }
            Optional<ObjectNode> existing = get(name);
            if (existing.isPresent()) {
                progress.warning("CRD " + name + " exists on the target but does not serve the archived version: left as it is");
                continue;
            }
            progress.phase("installing CRD " + name);
            ObjectNode live = create(name, body(name, yaml));
            if (live == null) {
                continue; // created meanwhile by someone else: theirs, never ours to roll back
            }
            run.crdCreated(live);
            installed.add(name);
            awaitEstablished(name);
        }
        return installed;
    }

    /** CRD names (plural.group) of archived kinds the target does not serve at their archived version. */
    private Set<String> missing(LoadedArchive archive) {
        Set<String> seen = new TreeSet<>();
        Set<String> needed = new TreeSet<>();
        for (ArchivedObject o : archive.objects()) {
            Manifest.Entry e = o.entry();
            if (!e.group().isEmpty() && seen.add(new GroupVersionKind(e.group(), e.version(), e.kind()).toString()) && discovery.find(e.group(), e.version(), e.kind()).isEmpty()) {
                needed.add(e.resource() + "." + e.group());
            }
        }
        return needed;
    }

    private ObjectNode body(String name, byte[] yaml) {
        ObjectNode crd;
        try {
            crd = (ObjectNode) Json.YAML.readTree(yaml);
        } catch (IOException | ClassCastException e) {
            throw PivotctlException.invalid("archived CRD " + name + " does not parse");
        }
        ObjectPreparer.SERVER_FIELDS.forEach(crd.with("metadata")::remove);
        crd.remove("status");
        RunLabel.put(crd, run.runId());
        return crd;
    }

    /** The created CRD, or null when one of that name appeared meanwhile that this run did not create. */
    private ObjectNode create(String name, ObjectNode body) {
        try {
            return api.create(ResourceType.CRD, body, false);
        } catch (RuntimeException e) {
            if (!ApiErrors.isConflict(e)) {
                throw ApiErrors.describe(e, "create", "customresourcedefinition " + name, api.server());
            }
            // "already exists": ours only when a retried create's first attempt landed (it carries this run's label)
            return get(name).filter(c -> RunLabel.carries(c, run.runId())).orElse(null);
        }
    }

    private Optional<ObjectNode> get(String name) {
        try {
            return api.get(ResourceType.CRD, null, name);
        } catch (RuntimeException e) {
            throw ApiErrors.describe(e, "get", "customresourcedefinition " + name, api.server());
        }
    }

    private void awaitEstablished(String name) {
        long deadline = System.nanoTime() + ESTABLISHED_TIMEOUT_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            run.checkCancelled();
            boolean established = get(name).map(c -> {
                for (var cond : c.path("status").path("conditions")) {
                    if ("Established".equals(cond.path("type").asText()) && "True".equals(cond.path("status").asText())) {
                        return true;
                    }
                }
                return false;
            }).orElse(false);
            if (established) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Cancellation.CancelledException();
            }
        }
        throw PivotctlException.failed("CRD " + name + " was created but did not become Established within "
                + ESTABLISHED_TIMEOUT_MILLIS / 1000 + "s");
    }
}

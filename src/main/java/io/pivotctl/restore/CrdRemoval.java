package io.pivotctl.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rollback's last step for a CRD this run created: it is deleted only while it is still that CRD (UID) and holds no
 * custom resource this run did not create, and never by clearing its finalizers. The apiserver's
 * {@code customresourcecleanup} finalizer deletes what the CRD still holds before the CRD goes; cleared, it would leave
 * those objects hidden in etcd, to reappear when the CRD is installed again. A CRD that holds someone else's objects
 * stays, named with them.
 */
final class CrdRemoval {

    private final ResourceApi api;
    private final RollbackLog log;

    CrdRemoval(ResourceApi api, RollbackLog log) {
        this.api = api;
        this.log = log;
    }

    /** {@code r}: the journal's CRD line (name, UID); {@code runId}: the label of this run's creates (null: none counts as ours). */
    void remove(Journal.Record r, String runId) {
        ObjectId id = new ObjectId(ResourceType.CRD.group(), ResourceType.CRD.kind(), "", r.id());
        if (log.skipUnreachable("delete " + id)) {
            return;
        }
        if (r.newUid() == null || r.newUid().isEmpty()) {
            log.failed(id + ": the journal holds no UID for it (written by an older pivotctl): check it and delete it by hand if it is this import's");
            return;
        }
        try {
            Optional<ObjectNode> crd = api.get(ResourceType.CRD, null, r.id());
            if (crd.isEmpty()) {
                log.undone("deleted " + id + " (already gone)");
            } else if (!ImportRun.uidOf(crd.get()).equals(r.newUid())) {
                log.leftAlone(id + " (an object of that name exists, but not the one this import created: UID differs)");
            } else {
                List<String> others = othersOf(crd.get(), runId);
                if (!others.isEmpty()) {
                    log.leftAlone(id + " (created by this import, but it holds " + others.size() + " custom resource(s) this import did not create: "
                            + Rollback.firstFew(others) + "; deleting the CRD would delete them)");
                    return;
                }
                delete(id, r.newUid());
            }
        } catch (RuntimeException e) {
            log.failed(e, "delete", id.toString());
        }
    }

    private void delete(ObjectId id, String uid) {
        switch (api.delete(ResourceType.CRD, "", id.name(), uid)) {
            case DONE -> log.undone("deleted " + id);
            case GONE -> log.undone("deleted " + id + " (already gone)");
            case OTHER_UID -> log.leftAlone(id + " (an object of that name exists, but not the one this import created: UID differs)");
        }
    }

    /** The custom resources of the CRD that do not carry this run's label, as "namespace/name". */
    private List<String> othersOf(ObjectNode crd, String runId) {
        ResourceType type = servedType(crd);
        List<ObjectNode> items;
        try {
            items = api.list(type, null, null).items();
        } catch (RuntimeException e) {
            if (ApiErrors.isNotFound(e)) {
                return List.of(); // not served (never established): it cannot hold anything
            }
            throw e;
        }
        List<String> others = new ArrayList<>();
        for (ObjectNode o : items) {
            if (!RunLabel.carries(o, runId)) {
                JsonNode meta = o.path("metadata");
                others.add((meta.path("namespace").asText().isEmpty() ? "" : meta.path("namespace").asText() + "/") + meta.path("name").asText());
            }
        }
        return others;
    }

    /** The resource the CRD serves, at its storage version. */
    private static ResourceType servedType(ObjectNode crd) {
        JsonNode spec = crd.path("spec");
        String version = "";
        for (JsonNode v : spec.path("versions")) {
            if (v.path("storage").asBoolean() || version.isEmpty()) {
                version = v.path("name").asText();
            }
        }
        return new ResourceType(spec.path("group").asText(), version, spec.path("names").path("kind").asText(), spec.path("names").path("plural").asText(),
                "Namespaced".equals(spec.path("scope").asText()), false);
    }
}

package io.pivotctl.restore;

import io.pivotctl.graph.ObjectId;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.Discovery;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceType;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves ownerReferences at import: an owner restored by this run (or adopted) has its UID in the run's map; an
 * owner the archive does not hold is looked up on the target by apiVersion, kind and name (in the object's
 * namespace when the owner kind is namespaced), and its target UID is used when it is there.
 */
final class OwnerLookup implements ObjectPreparer.Owners {

    private final ImportRun run;
    private final Set<String> archivedUids;
    private final Discovery discovery;
    private final ResourceApi api;
    private final Map<String, Optional<String>> external = new ConcurrentHashMap<>();
    private final Map<String, Optional<ResourceType>> types = new ConcurrentHashMap<>();

    OwnerLookup(ImportRun run, Set<String> archivedUids, Discovery discovery, ResourceApi api) {
        this.run = run;
        this.archivedUids = archivedUids;
        this.discovery = discovery;
        this.api = api;
    }

    @Override
    public Optional<String> targetUid(JsonNode ref, String namespace) {
        String uid = ref.path("uid").asText();
        String mapped = run.uids().get(uid);
        if (mapped != null) {
            return Optional.of(mapped);
        }
        if (archivedUids.contains(uid)) {
            return Optional.empty(); // archived but not restored (a failed level would have stopped the import first)
        }
        String apiVersion = ref.path("apiVersion").asText();
        String kind = ref.path("kind").asText();
        String name = ref.path("name").asText();
        return external.computeIfAbsent(apiVersion + "/" + kind + "/" + namespace + "/" + name, k -> {
            Optional<ResourceType> type = types.computeIfAbsent(apiVersion + "/" + kind, t -> {
                return discovery.find(ObjectId.groupOf(apiVersion), apiVersion.substring(apiVersion.indexOf('/') + 1), kind);
            });
            if (type.isEmpty()) {
                return Optional.empty();
            }
            try {
                return api.get(type.get(), type.get().namespaced() ? namespace : null, name).map(ImportRun::uidOf);
            } catch (RuntimeException e) {
                throw ApiErrors.describe(e, "get", "owner " + kind + " " + name, api.server());
            }
        });
    }
}

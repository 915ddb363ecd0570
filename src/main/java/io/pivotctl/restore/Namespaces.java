package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.kube.ApiErrors;
import io.pivotctl.kube.ResourceApi;
import io.pivotctl.kube.ResourceType;
import java.util.Map;

/**
 * Creates the namespaces an import needs (the plan's missing ones, the leases ConfigMap's), each labelled and journaled
 * as this run's, so rollback removes it again when nothing else moved in. One that exists, or appears meanwhile, is not
 * this run's and is left as it is.
 */
final class Namespaces {

    private final ResourceApi api;
    private final ImportRun run;

    Namespaces(ResourceApi api, ImportRun run) {
        this.api = api;
        this.run = run;
    }

    /** Creates the namespace when missing, journaled as this run's. */
    void ensure(String namespace) {
        try {
            if (api.get(ResourceType.NAMESPACE, null, namespace).isPresent()) {
                return;
            }
            ObjectNode body = Json.MAPPER.valueToTree(Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", namespace)));
            RunLabel.put(body, run.runId());
            run.namespaceCreated(RunLabel.createOrFindOurs(api, ResourceType.NAMESPACE, body, run.runId()));
        } catch (RuntimeException e) {
            if (ApiErrors.isConflict(e)) {
                return; // created concurrently by someone else: it exists, which is all we need, and it is not ours
            }
            throw ApiErrors.describe(e, "create", "namespace " + namespace, api.server());
        }
    }
}

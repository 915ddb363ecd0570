package io.pivotctl.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.ObjectId;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which creates preflight dry-runs. {@link Scope#NEEDED} (the default) skips the dry run of a core Secret or
 * ConfigMap whose create the server's answer is known for in advance: no admission webhook or policy matches it, no
 * quota counts it, this user may create it, its namespace exists, and it passes the server's own validation
 * ({@link CoreObjectRules}). Everything else keeps its dry run, and so does everything with
 * {@link Scope#EVERY_OBJECT} ({@code --preflight=every-object}). Counts what it decided, for the plan.
 */
public final class DryRuns {

    /** {@code --preflight}: needed (default) or every-object. */
    public enum Scope { NEEDED, EVERY_OBJECT }

    /** How many dry runs ran and were skipped, and why the core Secrets and ConfigMaps that ran kept theirs. */
    public record Tally(int run, int skipped, Map<String, Integer> keptBecause) {
        public Tally {
            keptBecause = java.util.Collections.unmodifiableMap(new TreeMap<>(keptBecause));
        }
    }

    private final Scope scope;
    private final AdmissionFacts facts;
    private final AtomicInteger run = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final Map<String, Integer> keptBecause = new TreeMap<>();

    DryRuns(Scope scope, AdmissionFacts facts) {
        this.scope = scope;
        this.facts = facts;
    }

    /** True when {@code body}'s dry run decides nothing and is skipped; false when it must run (counted either way). */
    boolean skip(ObjectId id, ObjectNode body, boolean namespaceExists) {
        Optional<String> why = whyRun(id, body, namespaceExists);
        if (why.isEmpty()) {
            skipped.incrementAndGet();
            return true;
        }
        run.incrementAndGet();
        if (isCore(id) && scope == Scope.NEEDED) {
            synchronized (keptBecause) {
                keptBecause.merge(why.get(), 1, Integer::sum);
            }
        }
        return false;
    }

    private Optional<String> whyRun(ObjectId id, ObjectNode body, boolean namespaceExists) {
        if (scope == Scope.EVERY_OBJECT) {
            return Optional.of("--preflight=every-object");
        }
        if (!isCore(id)) {
            return Optional.of("not a core Secret or ConfigMap");
        }
        if (!namespaceExists) {
            return Optional.of("its namespace is created by the import");
        }
        Optional<String> refusable = facts.whatCouldRefuse(id.namespace(), id.kind().equals("Secret") ? "secrets" : "configmaps");
        if (refusable.isPresent()) {
            return refusable;
        }
        for (com.fasterxml.jackson.databind.JsonNode ref : body.path("metadata").path("ownerReferences")) {
            if (ref.path("blockOwnerDeletion").asBoolean(false)) {
                Optional<String> owner = facts.whatCouldRefuseOwner(id.namespace(), ref.path("apiVersion").asText(), ref.path("kind").asText());
                if (owner.isPresent()) {
                    return owner;
                }
            }
        }
        return CoreObjectRules.whyNotProven(body);
    }

    /** A core Secret or ConfigMap: the only kinds whose dry run may be skipped. */
    static boolean isCore(ObjectId id) {
        return id.group().isEmpty() && (id.kind().equals("Secret") || id.kind().equals("ConfigMap"));
    }

    Tally tally() {
        synchronized (keptBecause) {
            return new Tally(run.get(), skipped.get(), keptBecause);
        }
    }

    /** One line for the plan: how many ran, how many were skipped and why the others ran. */
    static String describe(Tally t) {
        StringBuilder b = new StringBuilder("dry runs: " + t.run() + " run, " + t.skipped() + " skipped");
        if (t.skipped() > 0) {
            b.append(" (core Secrets and ConfigMaps no webhook, policy or quota can refuse, checked locally as the server would)");
        }
        t.keptBecause().forEach((why, n) -> b.append("\n  ").append(n).append(" core Secret(s)/ConfigMap(s) dry-run: ").append(why));
        return b.toString();
    }
}

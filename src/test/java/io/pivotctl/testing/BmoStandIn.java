package io.pivotctl.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The baremetal-operator as far as detaching goes, for tests and the chaos harness (no BMO runs against the test
 * servers): a host annotated {@code baremetalhost.metal3.io/detached} and not paused gets
 * {@code status.operationalStatus: detached} through /status, as BMO reports once the node left Ironic. It answers
 * only while {@code answerWhen} is true, so a test can hold a release in its wait for BMO. Polls every 100 ms.
 */
public final class BmoStandIn implements AutoCloseable {

    static final String DETACHED = "baremetalhost.metal3.io/detached";
    static final String PAUSED = "baremetalhost.metal3.io/paused";

    private final KubernetesClient client;
    private final String namespace;
    private final BooleanSupplier answerWhen;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger answered = new AtomicInteger();
    private final Thread thread;

    private BmoStandIn(KubernetesClient client, String namespace, BooleanSupplier answerWhen) {
        this.client = client;
        this.namespace = namespace;
        this.answerWhen = answerWhen;
        this.thread = new Thread(this::loop, "bmo-stand-in");
        this.thread.setDaemon(true);
    }

    /** Starts answering detach requests on the hosts of {@code namespace}. */
    public static BmoStandIn start(KubernetesClient client, String namespace) {
        return start(client, namespace, () -> true);
    }

    public static BmoStandIn start(KubernetesClient client, String namespace, BooleanSupplier answerWhen) {
        BmoStandIn bmo = new BmoStandIn(client, namespace, answerWhen);
        bmo.thread.start();
        return bmo;
    }

    /** How many hosts it reported detached. */
    public int answered() {
        return answered.get();
    }

    private void loop() {
        while (running.get()) {
            try {
                if (answerWhen.getAsBoolean()) {
                    answerOnce();
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException conflictGoneOrServerDown) {
                // the release changed or deleted the host meanwhile, or the apiserver is down: look again
            }
        }
    }

    private void answerOnce() {
        var hosts = client.genericKubernetesResources("metal3.io/v1alpha1", "BareMetalHost").inNamespace(namespace);
        for (GenericKubernetesResource h : hosts.list().getItems()) {
            Map<String, String> ann = h.getMetadata().getAnnotations() == null ? Map.of() : h.getMetadata().getAnnotations();
            @SuppressWarnings("unchecked")
            Map<String, Object> status = (Map<String, Object>) h.getAdditionalProperties().get("status");
            if (ann.containsKey(DETACHED) && !ann.containsKey(PAUSED) && h.getMetadata().getDeletionTimestamp() == null
                    && status != null && !"detached".equals(status.get("operationalStatus"))) {
                status.put("operationalStatus", "detached");
                hosts.resource(h).updateStatus();
                answered.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

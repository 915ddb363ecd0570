package io.pivotctl.kube;

/**
 * What the client tells its caller about API traffic: every request when the user asked for it (-v),
 * and every retry (a 2 a.m. operator must see why nothing moves). Names verbs and objects only, never
 * bodies: nothing here may carry a Secret value.
 */
public interface ApiEvents {

    /** One finished API call: {@code what} like "create baremetalhosts.metal3.io metal3/node-0"; outcome "ok" or the error. */
    void request(String what, long millis, String outcome);

    /** A transient failure of {@code what}; attempt {@code attempt + 1} follows after {@code delayMillis}. */
    void retrying(String what, int attempt, int maxAttempts, long delayMillis, String reason);

    /**
     * One HTTP request about to be sent (every attempt, discovery included): for {@link RequestCount}. Called on the
     * client's I/O threads: must be cheap and never block.
     */
    default void sent(String method, boolean dryRun) {
    }

    ApiEvents NONE = new ApiEvents() {
        @Override
        public void request(String what, long millis, String outcome) {
        }

        @Override
        public void retrying(String what, int attempt, int maxAttempts, long delayMillis, String reason) {
        }
    };
}

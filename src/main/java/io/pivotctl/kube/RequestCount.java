package io.pivotctl.kube;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many HTTP requests a command sent to its API server(s), by method and dry run: every attempt counts (a
 * retry is a request the server had to answer), discovery included. Filled by {@link KubeConnector}'s
 * interceptor through {@link ApiEvents#sent}; the CLI prints {@link #line()} with -v.
 */
public final class RequestCount {

    private final LongAdder total = new LongAdder();
    private final LongAdder get = new LongAdder();
    private final LongAdder post = new LongAdder();
    private final LongAdder put = new LongAdder();
    private final LongAdder patch = new LongAdder();
    private final LongAdder delete = new LongAdder();
    private final LongAdder dryRun = new LongAdder();

    /** One request sent with HTTP {@code method}; {@code dryRun} when it carried {@code dryRun=All}. */
    public void record(String method, boolean dryRun) {
        total.increment();
        switch (method.toUpperCase(Locale.ROOT)) {
            case "GET" -> get.increment();
            case "POST" -> post.increment();
            case "PUT" -> put.increment();
            case "PATCH" -> patch.increment();
            case "DELETE" -> delete.increment();
            default -> {
                // HEAD, OPTIONS...: in the total only
            }
        }
        if (dryRun) {
            this.dryRun.increment();
        }
    }

    public long total() {
        return total.sum();
    }

    public long dryRuns() {
        return dryRun.sum();
    }

    /** {@code api requests: TOTAL (GET n, POST n, PUT n, PATCH n, DELETE n; dry-run n)}: a contract, scripts parse it. */
    public String line() {
        return "api requests: " + total.sum() + " (GET " + get.sum() + ", POST " + post.sum() + ", PUT " + put.sum() + ", PATCH " + patch.sum()
                + ", DELETE " + delete.sum() + "; dry-run " + dryRun.sum() + ")";
    }

    /** Whether a request URI asks for a server-side dry run ({@code dryRun=All} in its query). */
    public static boolean isDryRun(java.net.URI uri) {
        String query = uri.getRawQuery();
        if (query == null) {
            return false;
        }
        for (String param : query.split("&")) {
            if (param.startsWith("dryRun=")) {
                return true;
            }
        }
        return false;
    }
}

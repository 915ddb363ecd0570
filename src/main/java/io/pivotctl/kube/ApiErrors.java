package io.pivotctl.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns client exceptions into one line that names the verb, the resource or object, and the fix. */
public final class ApiErrors {

    private ApiErrors() {
    }

    /** The HTTP status of the failure, 0 when the server never answered (fabric8 reports that as -1 or 0). */
    public static int code(Throwable t) {
        KubernetesClientException answered = answered(t);
        return answered == null ? 0 : answered.getCode();
    }

    /**
     * The exception that carries the server's answer (an HTTP status). fabric8 may wrap it in an outer exception
     * without a code, so the whole cause chain is searched.
     */
    static KubernetesClientException answered(Throwable t) {
        Throwable cur = t;
        for (int i = 0; cur != null && i < 20; i++, cur = cur.getCause()) {
            if (cur instanceof KubernetesClientException k && k.getCode() >= 100) {
                return k;
            }
        }
        return null;
    }

    public static boolean isTransient(Throwable t) {
        int code = code(t);
        if (code == 429 || code == 500 || code == 502 || code == 503 || code == 504) {
            return true;
        }
        // a name that does not resolve is a wrong kubeconfig, not a server restarting: fail at once
        return isUnreachable(t) && find(t, UnknownHostException.class) == null;
    }

    /**
     * The request got no answer at all: refused, reset, closed or timed out. The HTTP client (Vert.x) reports a
     * closed connection with its own unchecked exception, not an IOException, hence the name check.
     */
    public static boolean isUnreachable(Throwable t) {
        if (code(t) != 0) {
            return false;
        }
        Throwable cur = t;
        for (int i = 0; cur != null && i < 20; i++, cur = cur.getCause()) {
            if (cur instanceof IOException || cur instanceof TimeoutException || CONNECTION_FAILURES.contains(cur.getClass().getName())) {
                return true;
            }
        }
        return false;
    }

    private static final java.util.Set<String> CONNECTION_FAILURES = java.util.Set.of(
            "io.vertx.core.http.HttpClosedException", "io.vertx.core.VertxException", "io.netty.channel.ConnectTimeoutException");

    /** A few words for progress and -v output: "HTTP 503", "connection refused", ...; never a body. */
    public static String shortReason(Throwable t) {
        int code = code(t);
        if (code != 0) {
            return "HTTP " + code;
        }
        if (find(t, ConnectException.class) != null) {
            return "connection refused";
        }
        if (find(t, UnknownHostException.class) != null) {
            return "unknown host";
        }
        if (find(t, TimeoutException.class) != null || find(t, java.net.SocketTimeoutException.class) != null) {
            return "timeout";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("").toLowerCase(java.util.Locale.ROOT);
        if (msg.contains("reset")) {
            return "connection reset";
        }
        if (msg.contains("closed") || CONNECTION_FAILURES.contains(root.getClass().getName())) {
            return "connection closed";
        }
        return msg.isEmpty() ? root.getClass().getSimpleName() : msg;
    }

    public static boolean isNotFound(Throwable t) {
        return code(t) == 404;
    }

    public static boolean isConflict(Throwable t) {
        return code(t) == 409;
    }

    private static final java.util.Set<String> RBAC_VERBS = java.util.Set.of("get", "list", "watch", "create", "update", "patch", "delete");

    /** The RBAC verb to grant: pivotctl's own actions (pause, unpause, detach) are patches. */
    static String rbacVerb(String verb) {
        return RBAC_VERBS.contains(verb) ? verb : "patch";
    }

    /** {@code verb} like "list", "create"; {@code what} like "baremetalhosts.metal3.io in namespace metal3". */
    public static PivotctlException describe(Throwable t, String verb, String what, String server) {
        if (t instanceof PivotctlException named) {
            return named; // already says what failed (a list whose continue token kept expiring)
        }
        int code = code(t);
        String status = serverMessage(t);
        String msg = switch (code) {
            case 401 -> "unauthorized (401) to " + verb + " " + what + ": the kubeconfig credentials were rejected by " + server;
            case 403 -> "forbidden (403): cannot " + verb + " " + what + (status.contains("being terminated") ? ": " + status
                    : ": grant the '" + rbacVerb(verb) + "' permission on it to the kubeconfig user" + (status.isEmpty() ? "" : " (" + status + ")"));
            case 404 -> "not found (404): " + verb + " " + what + (status.isEmpty() ? "" : ": " + status);
            case 409 -> "conflict (409): " + verb + " " + what + (status.isEmpty() ? "" : ": " + status);
            case 0 -> connectionMessage(t, verb, what, server);
            default -> "the API server refused to " + verb + " " + what + " (" + code + ")" + (status.isEmpty() ? "" : ": " + status);
        };
        return new PivotctlException(Outcome.FAILED, msg);
    }

    private static String connectionMessage(Throwable t, String verb, String what, String server) {
        if (find(t, UnknownHostException.class) != null) {
            return "cannot reach API server " + server + ": unknown host (check the server address in the kubeconfig)";
        }
        if (find(t, ConnectException.class) != null) {
            return "cannot reach API server " + server + ": connection refused (is it running? check --kubeconfig/--context)";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
        return "cannot " + verb + " " + what + " on " + server + ": " + why;
    }

    static String serverMessage(Throwable t) {
        KubernetesClientException k = answered(t);
        if (k == null) {
            return "";
        }
        if (k.getStatus() != null && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage().lines().findFirst().orElse("");
        }
        return "";
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        Throwable cur = t;
        for (int i = 0; cur != null && i < 20; i++) {
            if (type.isInstance(cur)) {
                return type.cast(cur);
            }
            cur = (cur instanceof CompletionException || cur instanceof ExecutionException) ? cur.getCause() : cur.getCause();
        }
        return null;
    }
}

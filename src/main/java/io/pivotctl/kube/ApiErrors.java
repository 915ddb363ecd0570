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

    public static int code(Throwable t) {
        KubernetesClientException k = find(t, KubernetesClientException.class);
        return k == null ? 0 : k.getCode();
    }

    public static boolean isTransient(Throwable t) {
        int code = code(t);
        if (code == 429 || code == 500 || code == 502 || code == 503 || code == 504) {
            return true;
        }
        return code == 0 && (find(t, IOException.class) != null || find(t, TimeoutException.class) != null);
    }

    public static boolean isNotFound(Throwable t) {
        return code(t) == 404;
    }

    public static boolean isConflict(Throwable t) {
        return code(t) == 409;
    }

    /** {@code verb} like "list", "create"; {@code what} like "baremetalhosts.metal3.io in namespace metal3". */
    public static PivotctlException describe(Throwable t, String verb, String what, String server) {
        int code = code(t);
        String status = serverMessage(t);
        String msg = switch (code) {
            case 401 -> "unauthorized (401) to " + verb + " " + what + ": the kubeconfig credentials were rejected by " + server;
            case 403 -> "forbidden (403): cannot " + verb + " " + what + ": grant the '" + verb + "' permission on it to the kubeconfig user";
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
        KubernetesClientException k = find(t, KubernetesClientException.class);
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

package io.pivotctl.vocabulary;

/** Kubernetes' and kubectl's own annotations and types that pivotctl reads. */
public final class Kubernetes {

    /** kubectl apply's copy of the applied object: stale on the target, so never archived. */
    public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    /** The type of the token Secrets Kubernetes makes for ServiceAccounts (per cluster: never exported). */
    public static final String SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token";
    /** On a ServiceAccount token Secret: the ServiceAccount it belongs to. */
    public static final String SERVICE_ACCOUNT_NAME = "kubernetes.io/service-account.name";

    private Kubernetes() {
    }
}

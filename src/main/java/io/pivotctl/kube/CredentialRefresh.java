package io.pivotctl.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * fabric8's credential interceptor, asked only where it has something to do. fabric8 re-reads and re-parses the
 * kubeconfig (YAML, certificates, environment) before a request once a minute has passed since it last found a
 * <em>token</em>; with client-certificate auth (kubeadm's admin.conf, clusterctl's kubeconfigs) it never finds one,
 * so after the first minute it does that before every request. Measured on an import of 2,000 objects: a quarter of
 * the client's Java CPU samples. A certificate-only connection has no header to add and nothing a refresh could
 * change (the TLS client certificate is fixed when the client is built), so its requests skip the interceptor; a 401
 * still goes through it, as before. Connections with a token, basic auth or an auth provider keep fabric8's as it is.
 */
final class CredentialRefresh implements Interceptor {

    /** fabric8's name for its interceptor: the one this one replaces. */
    static final String NAME = TokenRefreshInterceptor.NAME;

    private final Interceptor fabric8;
    private final boolean refreshable;

    CredentialRefresh(Interceptor fabric8, boolean refreshable) {
        this.fabric8 = fabric8;
        this.refreshable = refreshable;
    }

    /**
     * The interceptor to install under {@link #NAME} for a certificate-only connection, or empty when fabric8's should
     * stay. fabric8's own is built here for 401s alone; its HTTP factory serves only OIDC refreshes, which a
     * certificate-only connection never makes, hence none.
     */
    static java.util.Optional<Interceptor> forCertificateOnly(Config config) {
        if (refreshable(config)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new CredentialRefresh(new TokenRefreshInterceptor(config, null, Instant.now()), false));
    }

    /**
     * True when the credentials travel in a header or can change on refresh: a token (given, from an exec plugin or a
     * provider), basic auth, or an auth provider (OIDC). False for client-certificate auth alone.
     */
    static boolean refreshable(Config config) {
        return present(config.getOauthToken()) || present(config.getAutoOAuthToken()) || config.getOauthTokenProvider() != null
                || present(config.getUsername()) || present(config.getPassword()) || config.getAuthProvider() != null;
    }

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if (refreshable) {
            fabric8.before(builder, request, tags);
        }
    }

    @Override
    public CompletableFuture<Boolean> afterFailure(BasicBuilder builder, HttpResponse<?> response, RequestTags tags) {
        return fabric8.afterFailure(builder, response, tags);
    }
}

package io.pivotctl.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.AuthProviderConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CredentialRefreshTest {

    private static Config certificateOnly() {
        return new ConfigBuilder().withMasterUrl("https://127.0.0.1:6443").withClientCertData("Y2VydA==").withClientKeyData("a2V5").build();
    }

    @Test
    void certificateOnlyConnectionsHaveNothingToRefresh() {
        Config cert = certificateOnly();
        assertFalse(CredentialRefresh.refreshable(cert));
        assertTrue(CredentialRefresh.forCertificateOnly(cert).isPresent());
    }

    @Test
    void tokensBasicAuthAndAuthProvidersKeepFabric8sInterceptor() {
        Config token = certificateOnly();
        token.setOauthToken("t0ken");
        Config execToken = certificateOnly();
        execToken.setAutoOAuthToken("from-exec");
        Config basic = certificateOnly();
        basic.setUsername("admin");
        basic.setPassword("pw");
        Config oidc = certificateOnly();
        oidc.setAuthProvider(new AuthProviderConfig(java.util.Map.of(), "oidc"));
        Config provider = certificateOnly();
        provider.setOauthTokenProvider(() -> "provided");
        for (Config c : new Config[] {token, execToken, basic, oidc, provider}) {
            assertTrue(CredentialRefresh.refreshable(c));
            assertTrue(CredentialRefresh.forCertificateOnly(c).isEmpty());
        }
    }

    /** A request on a certificate-only connection skips fabric8's before() (its per-request kubeconfig re-read); a 401 does not. */
    @Test
    void certificateOnlySkipsBeforeButNotAfterFailure() {
        AtomicInteger before = new AtomicInteger();
        AtomicInteger afterFailure = new AtomicInteger();
        Interceptor recording = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                before.incrementAndGet();
            }

            @Override
            public CompletableFuture<Boolean> afterFailure(BasicBuilder builder, HttpResponse<?> response, RequestTags tags) {
                afterFailure.incrementAndGet();
                return CompletableFuture.completedFuture(false);
            }
        };
        new CredentialRefresh(recording, false).before(null, null, null);
        new CredentialRefresh(recording, false).afterFailure(null, null, null);
        new CredentialRefresh(recording, true).before(null, null, null);
        assertEquals(1, before.get(), "only the refreshable connection asked fabric8 before its request");
        assertEquals(1, afterFailure.get());
    }
}

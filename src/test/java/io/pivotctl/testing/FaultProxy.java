package io.pivotctl.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small fault-injecting HTTP proxy on loopback in front of a real apiserver (plain HTTP towards
 * pivotctl, TLS towards the apiserver; the client's bearer token passes through):
 * rules answer matching requests with 429 (Retry-After), 5xx, 403/422, or drop the connection, a given
 * number of times; everything else is forwarded unchanged. Counts every request it sees.
 */
public final class FaultProxy implements AutoCloseable {

    /**
     * A fault for requests whose method matches and whose path contains {@code pathPart}, {@code times} times, after
     * letting the first {@code after} matching requests through; {@code writesOnly}: dry runs always pass.
     */
    public record Rule(String method, String pathPart, int code, int times, AtomicInteger injected, boolean writesOnly, int after,
            AtomicInteger passed) {
        public static Rule status(String method, String pathPart, int code, int times) {
            return new Rule(method, pathPart, code, times, new AtomicInteger(), false, 0, new AtomicInteger());
        }

        /** As {@link #status}, for real writes only (dry runs pass), after letting {@code after} of them through. */
        public static Rule statusOnWrite(String method, String pathPart, int code, int after, int times) {
            return new Rule(method, pathPart, code, times, new AtomicInteger(), true, after, new AtomicInteger());
        }

        /** code 0: close the connection without an answer (a reset, as far as the client can tell). */
        public static Rule drop(String method, String pathPart, int times) {
            return new Rule(method, pathPart, 0, times, new AtomicInteger(), false, 0, new AtomicInteger());
        }

        /**
         * code -1: forward the request (the server carries it out), then drop the connection before the answer: a
         * create that happened although the client never heard so. Dry runs pass untouched.
         */
        public static Rule loseAnswer(String method, String pathPart, int times) {
            return new Rule(method, pathPart, -1, times, new AtomicInteger(), true, 0, new AtomicInteger());
        }

        boolean matches(String m, String path) {
            if (!((method == null || method.equals(m)) && path.contains(pathPart) && injected.get() < times
                    && !(writesOnly && path.contains("dryRun")))) {
                return false;
            }
            return passed.incrementAndGet() > after;
        }
    }

    static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade", "keep-alive", "expect");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trustAll()).build();
    private final String upstream;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private volatile boolean down;
    private volatile long writeDelayMillis;
    private Path kubeconfig;
    private final java.util.concurrent.ExecutorService executor = Executors.newFixedThreadPool(32);

    static {
        // the test apiserver's certificate is self-signed: the proxy (test code, loopback only) does not verify it
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
    }

    public FaultProxy(String upstreamUrl) throws IOException {
        this.upstream = upstreamUrl.endsWith("/") ? upstreamUrl.substring(0, upstreamUrl.length() - 1) : upstreamUrl;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public FaultProxy add(Rule rule) {
        rules.add(rule);
        return this;
    }

    public void clearRules() {
        rules.clear();
    }

    /** Back to a plain pass-through: no rules, no write delay, not down. Request counts are kept. */
    public void reset() {
        rules.clear();
        writeDelayMillis = 0;
        down = false;
    }

    /**
     * Holds every real write (POST, PUT, PATCH, DELETE; dry runs pass at once) this long before forwarding it: an
     * import then takes long enough for a test to act in the middle of it, however fast pivotctl becomes.
     */
    public FaultProxy delayWrites(long millis) {
        this.writeDelayMillis = millis;
        return this;
    }

    /** While down, every request is dropped: the apiserver looks unreachable. */
    public void setDown(boolean down) {
        this.down = down;
    }

    public int count(String method, String pathPart) {
        return seen.entrySet().stream().filter(e -> e.getKey().startsWith(method + " ") && e.getKey().contains(pathPart))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    private static javax.net.ssl.SSLContext trustAll() {
        try {
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, new java.security.SecureRandom());
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A kubeconfig pointing at the proxy, with the static token the upstream accepts; written once, removed by {@link #close()}. */
    public synchronized Path kubeconfig() {
        if (kubeconfig == null) {
            try {
                kubeconfig = kubeconfig(Files.createTempDirectory("pivotctl-proxy"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return kubeconfig;
    }

    /** As {@link #kubeconfig()}, written into {@code dir}. */
    public Path kubeconfig(Path dir) throws IOException {
        Path f = dir.resolve("proxy-" + server.getAddress().getPort() + ".kubeconfig");
        Files.writeString(f, """
                apiVersion: v1
                kind: Config
                clusters: [{name: proxy, cluster: {server: "http://127.0.0.1:%d"}}]
                users: [{name: proxy, user: {token: "%s"}}]
                contexts: [{name: proxy, context: {cluster: proxy, user: proxy, namespace: default}}]
                current-context: proxy
                """.formatted(server.getAddress().getPort(), TestApiServer.PROXY_TOKEN));
        return f;
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().toString();
        seen.computeIfAbsent(method + " " + ex.getRequestURI().getPath(), k -> new AtomicInteger()).incrementAndGet();
        byte[] body = ex.getRequestBody().readAllBytes();
        if (down) {
            throw new IOException("proxy down: connection dropped"); // the server closes the connection at once
        }
        for (Rule r : rules) {
            if (r.matches(method, path) && r.injected().incrementAndGet() <= r.times()) {
                if (r.code() == 0) {
                    throw new IOException("connection dropped by rule"); // the server closes the connection at once
                }
                if (r.code() == -1) {
                    send(ex, method, path, body);
                    throw new IOException("answer lost by rule");
                }
                byte[] status = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"injected by FaultProxy\","
                        + "\"reason\":\"Injected\",\"details\":{\"retryAfterSeconds\":1},\"code\":" + r.code() + "}").getBytes(StandardCharsets.UTF_8);
                if (r.code() == 429) {
                    ex.getResponseHeaders().add("Retry-After", "1");
                }
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(r.code(), status.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(status);
                }
                return;
            }
        }
        if (writeDelayMillis > 0 && !"GET".equals(method) && !path.contains("dryRun")) {
            try {
                Thread.sleep(writeDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        forward(ex, method, path, body);
    }

    private void send(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        try {
            client.send(request(ex, method, path, body), HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private HttpRequest request(HttpExchange ex, String method, String path, byte[] body) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(upstream + path)).method(method,
                body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!HOP_HEADERS.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                vs.forEach(v -> req.header(k, v));
            }
        });
        return req.build();
    }

    private void forward(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        try {
            HttpResponse<InputStream> resp = client.send(request(ex, method, path, body), HttpResponse.BodyHandlers.ofInputStream());
            byte[] out;
            try (InputStream in = resp.body()) {
                out = in.readAllBytes();
            }
            resp.headers().map().forEach((k, vs) -> {
                if (!HOP_HEADERS.contains(k.toLowerCase(java.util.Locale.ROOT)) && !k.startsWith(":")) {
                    vs.forEach(v -> ex.getResponseHeaders().add(k, v));
                }
            });
            ex.sendResponseHeaders(resp.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
            ex.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
        } catch (IOException e) {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        synchronized (this) {
            if (kubeconfig != null) {
                try {
                    Files.deleteIfExists(kubeconfig);
                    Files.deleteIfExists(kubeconfig.getParent());
                } catch (IOException ignored) {
                    // a temp file
                }
            }
        }
    }
}

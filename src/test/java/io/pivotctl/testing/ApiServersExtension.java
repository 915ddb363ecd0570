package io.pivotctl.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one set-up of every integration test class: real API servers ({@link #none()}, {@link #one()}, or
 * {@link #two()}: source and target) with their CRDs, the fleet loaded into the source, the namespace the target
 * imports into, fault proxies in front of them, kube-controller-manager's garbage-collector and namespace controllers
 * on every server (as on every real cluster: rollback and release-source delete with {@code propagationPolicy: Orphan},
 * which only the garbage collector completes), and a pivotctl home directory and age key of the class's own. Use with {@code @RegisterExtension static}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ApiServersExtension servers = ApiServersExtension.two().withCrds(CrdSet.upstream())
 *         .withFleet(Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("c1", 1, 1)), 1))
 *         .withTargetNamespace("metal3").withProxiedTarget();
 * }</pre>
 *
 * <p>Before the class: the servers (from {@link ServerPool}: servers an earlier class gave back, emptied, or new ones
 * started in parallel), their CRDs, the namespaces, the fleet, then the controllers (after the CRDs, so that the
 * garbage collector watches them), the proxies, the home ({@code pivotctl.home} for in-process runs,
 * {@code PIVOTCTL_HOME} for {@link #process}) and the key. Before each test: the controllers restarted when the CRDs
 * changed, and with {@link #withTargetResetBeforeEach()} a target without archived objects or journals. After each
 * test: the proxies pass everything through again. After the class: the servers go back to the pool, the home and
 * key are deleted, and {@code pivotctl.home} is what it was.
 */
public final class ApiServersExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ApiServersExtension.class);
    private static final String DEFAULT_NAMESPACE = "metal3";

    private final int count;
    private CrdSet sourceCrds = CrdSet.none();
    private CrdSet targetCrds = CrdSet.none();
    private List<ObjectNode> fleet = List.of();
    private String targetNamespace;
    private boolean proxiedSource;
    private boolean proxiedTarget;
    private boolean resetTargetBeforeEach;

    private ServerPool pool;
    private final List<TestApiServer> servers = new ArrayList<>();
    private FaultProxy sourceProxy;
    private FaultProxy targetProxy;
    private Path dir;
    private TestKey key;
    private String homeBefore;

    private ApiServersExtension(int count) {
        this.count = count;
    }

    /** No API server: only the home directory and the key. */
    public static ApiServersExtension none() {
        return new ApiServersExtension(0);
    }

    /** One server, {@link #source()}; it is also the one {@link #withTargetNamespace} and {@link #resetTarget} mean. */
    public static ApiServersExtension one() {
        return new ApiServersExtension(1);
    }

    /** Two independent servers, {@link #source()} and {@link #target()}. */
    public static ApiServersExtension two() {
        return new ApiServersExtension(2);
    }

    /** The same CRDs on every server. */
    public ApiServersExtension withCrds(CrdSet crds) {
        this.sourceCrds = crds;
        this.targetCrds = crds;
        return this;
    }

    public ApiServersExtension withSourceCrds(CrdSet crds) {
        this.sourceCrds = crds;
        return this;
    }

    /** The target's CRDs ({@link CrdSet#none()} unless set: e.g. for {@code import --install-crds}). */
    public ApiServersExtension withTargetCrds(CrdSet crds) {
        this.targetCrds = crds;
        return this;
    }

    /** Loaded into the source (owners first, status through /status): a {@link Metal3Fleet} or {@link RealSite}. */
    public ApiServersExtension withFleet(List<ObjectNode> objects) {
        this.fleet = List.copyOf(objects);
        return this;
    }

    /** The namespace the target imports into, created before the class: there before any import, so no rollback removes it. */
    public ApiServersExtension withTargetNamespace(String namespace) {
        this.targetNamespace = namespace;
        return this;
    }

    /** A {@link FaultProxy} in front of the source: {@link #sourceProxy()}. */
    public ApiServersExtension withProxiedSource() {
        this.proxiedSource = true;
        return this;
    }

    /** A {@link FaultProxy} in front of the target (of the only server with {@link #one()}): {@link #targetProxy()}. */
    public ApiServersExtension withProxiedTarget() {
        this.proxiedTarget = true;
        return this;
    }

    /** Each test starts from a target without archived objects or journals ({@link #resetTarget}): any order works. */
    public ApiServersExtension withTargetResetBeforeEach() {
        this.resetTargetBeforeEach = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("pivotctl-it-" + context.getRequiredTestClass().getSimpleName() + "-");
        homeBefore = System.getProperty("pivotctl.home");
        System.setProperty("pivotctl.home", home().toString());
        key = TestKey.create(dir);
        if (count == 0) {
            return;
        }
        ControllerManager.requireBinary();
        pool = context.getRoot().getStore(STORE).getOrComputeIfAbsent(ServerPool.class, k -> new ServerPool(), ServerPool.class);
        servers.addAll(pool.take(wants()));
        if (!fleet.isEmpty()) {
            InventoryLoader.load(source().kubeconfig(), fleet, 8);
        }
        servers.forEach(TestApiServer::ensureGarbageCollector);
        if (proxiedSource) {
            sourceProxy = new FaultProxy(source().url());
        }
        if (proxiedTarget) {
            targetProxy = new FaultProxy(importTarget().url());
        }
    }

    /** Per server: its CRDs, and the namespaces the class creates on it anyway (so a pooled server that has them will do). */
    private List<ServerPool.Want> wants() {
        Set<String> sourceNamespaces = new TreeSet<>();
        fleet.forEach(o -> {
            String ns = o.path("metadata").path("namespace").asText();
            if (!ns.isEmpty()) {
                sourceNamespaces.add(ns);
            }
        });
        Set<String> targetNamespaces = targetNamespace == null ? Set.of() : Set.of(targetNamespace);
        if (count == 1) {
            sourceNamespaces.addAll(targetNamespaces);
            return List.of(new ServerPool.Want(sourceCrds, sourceNamespaces));
        }
        return List.of(new ServerPool.Want(sourceCrds, sourceNamespaces), new ServerPool.Want(targetCrds, targetNamespaces));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        servers.forEach(TestApiServer::ensureGarbageCollector);
        if (resetTargetBeforeEach) {
            resetTarget();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (FaultProxy p : new FaultProxy[] {sourceProxy, targetProxy}) {
            if (p != null) {
                p.reset();
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        for (FaultProxy p : new FaultProxy[] {sourceProxy, targetProxy}) {
            if (p != null) {
                p.close();
            }
        }
        if (pool != null) {
            servers.forEach(pool::giveBack);
        }
        servers.clear();
        if (homeBefore == null) {
            System.clearProperty("pivotctl.home");
        } else {
            System.setProperty("pivotctl.home", homeBefore);
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    public TestApiServer source() {
        if (servers.isEmpty()) {
            throw new IllegalStateException("this extension was made with none() and has no server");
        }
        return servers.get(0);
    }

    public TestApiServer target() {
        if (servers.size() < 2) {
            throw new IllegalStateException("this extension was made with " + (count == 1 ? "one()" : "none()") + " and has no target server");
        }
        return servers.get(1);
    }

    /** The server imports go to: the target, or the only server of {@link #one()}. */
    private TestApiServer importTarget() {
        return servers.get(servers.size() - 1);
    }

    public FaultProxy sourceProxy() {
        return proxy(sourceProxy, "withProxiedSource()");
    }

    public FaultProxy targetProxy() {
        return proxy(targetProxy, "withProxiedTarget()");
    }

    private static FaultProxy proxy(FaultProxy p, String how) {
        if (p == null) {
            throw new IllegalStateException("no proxy: make the extension " + how);
        }
        return p;
    }

    /** What {@link #withFleet} loaded into the source. */
    public List<ObjectNode> fleet() {
        return fleet;
    }

    /** A directory of this class's own, deleted after it. */
    public Path dir() {
        return dir;
    }

    /** pivotctl's home for this class (journals): {@code pivotctl.home} while it runs, {@code PIVOTCTL_HOME} for {@link #process}. */
    public Path home() {
        return dir.resolve("home");
    }

    /** An age identity of this class's own (0600, as keygen writes it) and its recipient. */
    public TestKey key() {
        return key;
    }

    /**
     * Deletes every custom resource, Secret and ConfigMap the target's import namespace holds (except {@code keep}),
     * and every journal: a target as before any import.
     */
    public void resetTarget(String... keep) {
        TargetReset.clean(importTarget().client(), targetNamespace != null ? targetNamespace : DEFAULT_NAMESPACE, home(), keep);
    }

    /** As {@link #resetTarget}, and every CRD goes too: a target as before the providers were installed. */
    public void resetTargetWithoutCrds() {
        resetTarget();
        TargetReset.removeAllCrds(importTarget().client());
    }

    /** The real jar as a separate JVM ({@code java -jar target/pivotctl.jar ARGS}) with this class's home. */
    public ProcessBuilder process(String... args) {
        return process(List.of(), args);
    }

    /** As {@link #process(String...)}, with JVM options such as {@code -Xmx256m}. */
    public ProcessBuilder process(List<String> javaOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(javaOptions);
        cmd.addAll(List.of("-jar", System.getProperty("pivotctl.jar", "target/pivotctl.jar")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PIVOTCTL_HOME", home().toString());
        return pb;
    }
}

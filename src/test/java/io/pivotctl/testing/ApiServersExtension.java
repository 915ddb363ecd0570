package io.pivotctl.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class one ({@link #one()}) or two ({@link #two()}: source and target) independent real
 * API servers for the whole class. Use with {@code @RegisterExtension static}.
 * {@link #withGarbageCollector()} runs kube-controller-manager's garbage-collector and namespace controllers on
 * each server, (re)started before each test when the CRDs changed, so CRDs installed in {@code @BeforeAll} are
 * watched too; a test that installs CRDs itself calls {@link TestApiServer#ensureGarbageCollector()} after.
 */
public final class ApiServersExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final int count;
    private final boolean targetAcceptsProxy;
    private boolean garbageCollector;
    private TestApiServer source;
    private TestApiServer target;

    private ApiServersExtension(int count, boolean targetAcceptsProxy) {
        this.count = count;
        this.targetAcceptsProxy = targetAcceptsProxy;
    }

    public static ApiServersExtension one() {
        return new ApiServersExtension(1, false);
    }

    public static ApiServersExtension two() {
        return new ApiServersExtension(2, false);
    }

    /** As {@link #two()}, with a target that also accepts {@link FaultProxy}'s token, so a test can reach it through one. */
    public static ApiServersExtension twoWithProxiedTarget() {
        return new ApiServersExtension(2, true);
    }

    /** Every server of this extension runs the garbage-collector and namespace controllers, as real clusters do. */
    public ApiServersExtension withGarbageCollector() {
        this.garbageCollector = true;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (garbageCollector) {
            source.ensureGarbageCollector();
            if (target != null) {
                target.ensureGarbageCollector();
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (garbageCollector) {
            ControllerManager.requireBinary();
        }
        source = TestApiServer.start();
        if (count > 1) {
            try {
                target = targetAcceptsProxy ? TestApiServer.start(java.nio.file.Files.createTempDirectory("pivotctl-tokens").resolve("tokens.csv"))
                        : TestApiServer.start();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (target != null) {
            target.close();
        }
        if (source != null) {
            source.close();
        }
    }

    public TestApiServer source() {
        return source;
    }

    public TestApiServer target() {
        if (target == null) {
            throw new IllegalStateException("this extension was made with one() and has no target server");
        }
        return target;
    }
}

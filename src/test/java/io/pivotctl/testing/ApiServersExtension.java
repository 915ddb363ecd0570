package io.pivotctl.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class one ({@link #one()}) or two ({@link #two()}: source and target) independent real
 * API servers for the whole class. Use with {@code @RegisterExtension static}.
 */
public final class ApiServersExtension implements BeforeAllCallback, AfterAllCallback {

    private final int count;
    private TestApiServer source;
    private TestApiServer target;

    private ApiServersExtension(int count) {
        this.count = count;
    }

    public static ApiServersExtension one() {
        return new ApiServersExtension(1);
    }

    public static ApiServersExtension two() {
        return new ApiServersExtension(2);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        source = TestApiServer.start();
        if (count > 1) {
            target = TestApiServer.start();
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

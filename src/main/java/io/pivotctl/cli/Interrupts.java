package io.pivotctl.cli;

import io.pivotctl.GracefulStop;
import io.pivotctl.restore.Cancellation;

/**
 * Signal handling for a command that must clean up before the process exits: Ctrl-C/SIGTERM cancels the
 * {@link Cancellation} the service checks, and the JVM is held until the service says it has settled
 * (rolled back, or finished what may not be undone).
 */
final class Interrupts implements AutoCloseable {

    /** How long a signal waits for the command to settle. */
    static final long SETTLE_SECONDS = 170;

    private final Thread hook;

    private Interrupts(Cancellation cancellation) {
        this.hook = new Thread(() -> {
            cancellation.cancel();
            cancellation.awaitSettled(SETTLE_SECONDS);
        }, "pivotctl-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        GracefulStop.enter();
    }

    static Interrupts cancelling(Cancellation cancellation) {
        return new Interrupts(cancellation);
    }

    @Override
    public void close() {
        GracefulStop.exit();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for the cancellation to settle, which it has
        }
    }
}

package io.pivotctl.cli;

import io.pivotctl.GracefulStop;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Process entry point: runs the command line and exits with its documented exit code. */
public final class Main {

    /** How long Ctrl-C/SIGTERM waits for an interrupted import to roll back and report. */
    static final long GRACEFUL_STOP_SECONDS = 180;

    private Main() {
    }

    /** Held so the setting is not collected with the logger: Vert.x (the HTTP client) logs connection resets through JUL. */
    private static final java.util.logging.Logger VERTX_LOG = java.util.logging.Logger.getLogger("io.vertx");

    public static void main(String[] args) {
        // our messages name the failure once; the client's own log lines would repeat it as noise on stderr
        VERTX_LOG.setLevel(java.util.logging.Level.OFF);
        // Netty's pooled direct buffers reserve arenas per core that a command-line tool never fills
        if (System.getProperty("io.netty.allocator.type") == null) {
            System.setProperty("io.netty.allocator.type", "unpooled");
        }
        CountDownLatch reported = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (GracefulStop.active()) {
                try {
                    reported.await(GRACEFUL_STOP_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (reported.getCount() > 0) {
                // stopped mid-command; what it was writing is removed by its own hook (no partial archive, no temp file)
                System.err.println("error: interrupted before finishing; nothing partial was left behind");
                System.err.flush();
            }
        }, "pivotctl-graceful-stop"));
        int code = PivotctlCommand.run(args);
        reported.countDown();
        System.exit(code);
    }
}

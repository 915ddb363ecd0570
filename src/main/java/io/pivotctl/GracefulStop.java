package io.pivotctl;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Marks work that must finish its own cleanup when the process is asked to stop (Ctrl-C, SIGTERM): an import
 * that has started writing rolls back before the JVM exits. While such a section is open, the process entry
 * point keeps the JVM alive until the command has reported what it undid. Work outside a section (export,
 * validate) simply stops; what it leaves behind is removed by its own shutdown hooks.
 */
public final class GracefulStop {

    private static final AtomicInteger OPEN = new AtomicInteger();

    private GracefulStop() {
    }

    public static void enter() {
        OPEN.incrementAndGet();
    }

    public static void exit() {
        OPEN.decrementAndGet();
    }

    public static boolean active() {
        return OPEN.get() > 0;
    }
}

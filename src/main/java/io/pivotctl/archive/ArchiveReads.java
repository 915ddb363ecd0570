package io.pivotctl.archive;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether this process is reading an archive right now, for the command line's last line of defence: an
 * OutOfMemoryError or StackOverflowError met while reading one is exit 3 (the archive is what the limits should have
 * refused), anywhere else exit 1. A read that ends by an Error stays counted: the process is about to report it and exit.
 */
public final class ArchiveReads {

    private static final AtomicInteger ACTIVE = new AtomicInteger();

    private ArchiveReads() {
    }

    /** A read starts; {@link Reading#close()} ends it, except when an Error ends it (see {@link Reading#failed}). */
    public static Reading start() {
        ACTIVE.incrementAndGet();
        return new Reading();
    }

    public static boolean active() {
        return ACTIVE.get() > 0;
    }

    /** After the Error was reported (in-process callers run more commands). */
    public static void reset() {
        ACTIVE.set(0);
    }

    /** One read in progress. */
    public static final class Reading implements AutoCloseable {
        private boolean ended;

        /** Marks the read as ended by an Error: it stays counted until {@link #reset()}. */
        public void failed() {
            ended = true;
        }

        @Override
        public void close() {
            if (!ended) {
                ended = true;
                ACTIVE.decrementAndGet();
            }
        }
    }
}

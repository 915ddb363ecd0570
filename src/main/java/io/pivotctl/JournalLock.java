package io.pivotctl;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One run at a time per journal (import's and release-source's): the run holds an exclusive lock on the file and
 * writes who it is ({@link #holder()}) into it, so a second run is refused naming the first.
 */
public final class JournalLock {

    private JournalLock() {
    }

    /** "pid N on HOST since TIME": what a run writes into the journal it locked. */
    public static String holder() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "this host";
        }
        return "pid " + ManagementFactory.getRuntimeMXBean().getPid() + " on " + host + " since " + Instant.now();
    }

    /**
     * Takes the lock (shared: a reader's) or, when another run holds it, closes {@code ch} and fails naming the holder
     * the journal records ({@code holderInJournal}, read only then). {@code what}: "journal", "release journal".
     */
    public static FileLock lockOrRefuse(FileChannel ch, Path path, boolean shared, String what, Supplier<Optional<String>> holderInJournal)
            throws IOException {
        FileLock lock;
        try {
            lock = ch.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw PivotctlException.failed(what + " " + path + " is in use by " + holderInJournal.get().orElse("another pivotctl run")
                    + ": wait for that run to end, then try again");
        }
        return lock;
    }
}

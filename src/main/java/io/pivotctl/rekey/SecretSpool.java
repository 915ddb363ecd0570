package io.pivotctl.rekey;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.Digests;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * The re-encrypted Secrets between the pass that makes them and the pass that writes them: the manifest, which comes
 * first in the archive, lists their new digests, so they are made before anything is written. Only ciphertext is kept,
 * in a 0600 temp file (a fleet has thousands of Secrets: not the heap); what is held per Secret is its place and
 * digests. The file is removed on {@link #close()}, and by the JVM if the process is stopped.
 */
final class SecretSpool implements AutoCloseable {

    /** Where one ciphertext is, its SHA-256, and the SHA-256 of the plaintext it seals (checked after the read-back). */
    record Slot(long offset, int size, String sha256, String plaintextSha256) {
    }

    private final Path file;
    private final RandomAccessFile data;
    private final Map<String, Slot> slots = new HashMap<>();
    private long end;

    SecretSpool() {
        try {
            file = Files.createTempFile("pivotctl-rekey-", ".age", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            data = new RandomAccessFile(file.toFile(), "rw");
        } catch (IOException e) {
            throw PivotctlException.failed("cannot create a temp file for the re-encrypted Secrets: " + e.getMessage());
        }
    }

    synchronized Slot add(String path, byte[] ciphertext, String plaintextSha256) {
        try {
            data.seek(end);
            data.write(ciphertext);
        } catch (IOException e) {
            throw PivotctlException.failed("cannot write the re-encrypted Secrets' temp file: " + e.getMessage());
        }
        Slot slot = new Slot(end, ciphertext.length, Digests.sha256(ciphertext), plaintextSha256);
        end += ciphertext.length;
        slots.put(path, slot);
        return slot;
    }

    synchronized byte[] read(String path) {
        Slot slot = slots.get(path);
        if (slot == null) {
            throw new IllegalStateException("no re-encrypted Secret for " + path);
        }
        byte[] b = new byte[slot.size()];
        try {
            data.seek(slot.offset());
            data.readFully(b);
        } catch (IOException e) {
            throw PivotctlException.failed("cannot read the re-encrypted Secrets' temp file: " + e.getMessage());
        }
        return b;
    }

    synchronized Slot slot(String path) {
        return slots.get(path);
    }

    synchronized int size() {
        return slots.size();
    }

    @Override
    public void close() {
        try {
            data.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort: the file holds ciphertext only
        }
    }
}

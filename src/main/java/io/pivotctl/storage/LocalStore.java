package io.pivotctl.storage;

import io.pivotctl.PivotctlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Archives as regular files in one directory. */
public record LocalStore(Path dir) implements ArchiveStore {

    @Override
    public List<StoredObject> list() {
        if (!Files.isDirectory(dir)) {
            throw PivotctlException.usage("backup location " + dir + " is not a directory");
        }
        List<StoredObject> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                if (a.isRegularFile()) {
                    out.add(new StoredObject(p.getFileName().toString(), a.size(), a.lastModifiedTime().toInstant(), new LocalArchive(p)));
                }
            }
        } catch (IOException e) {
            throw PivotctlException.failed("cannot list " + dir + ": " + e.getMessage());
        }
        out.sort(Comparator.comparing(StoredObject::name));
        return out;
    }

    @Override
    public ArchiveHead readHead(StoredObject object) {
        return object.location().readHead();
    }

    @Override
    public void delete(StoredObject object) {
        try {
            Files.delete(((LocalArchive) object.location()).path());
        } catch (NoSuchFileException gone) {
            // already gone: what prune wanted
        } catch (IOException e) {
            throw PivotctlException.failed("cannot delete " + object.location() + ": " + e.getMessage());
        }
    }

    @Override
    public List<IncompleteUpload> incompleteUploads() {
        return List.of();
    }

    @Override
    public void abort(IncompleteUpload upload) {
        throw new UnsupportedOperationException("a directory has no uploads");
    }

    @Override
    public ArchiveLocation staging(StoredObject object) {
        Path folder = dir.resolve(STAGING);
        try {
            if (!Files.isDirectory(folder)) {
                Files.createDirectory(folder, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw PivotctlException.failed("cannot create " + folder + ": " + e.getMessage());
        }
        return new LocalArchive(folder.resolve(object.name()));
    }

    @Override
    public void replace(ArchiveLocation staged, StoredObject object) {
        Path from = ((LocalArchive) staged).path();
        Path to = ((LocalArchive) object.location()).path();
        try {
            Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw PivotctlException.failed("cannot replace " + to + " by its rekeyed version: " + e.getMessage() + " (the original is unchanged)");
        }
    }

    @Override
    public int clearStaging() {
        Path folder = dir.resolve(STAGING);
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
                removed++;
            }
            Files.delete(folder);
        } catch (IOException e) {
            throw PivotctlException.failed("cannot clear " + folder + ": " + e.getMessage());
        }
        return removed;
    }

    @Override
    public void close() {
        // nothing held
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}

package io.pivotctl.storage;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchiveContents;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ArchiveReader;
import io.pivotctl.archive.HeldBudget;
import io.pivotctl.archive.ArchiveWriter;
import io.pivotctl.archive.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** An archive in a local file: written by the temp-file-and-rename path of {@link ArchiveWriter}. */
public record LocalArchive(Path path) implements ArchiveLocation {

    @Override
    public ArchiveContents read(ArchiveLimits limits) {
        return ArchiveReader.read(path, limits);
    }

    @Override
    public List<String> scan(ArchiveLimits limits, HeldBudget held, ArchiveReader.EntrySink sink) {
        return ArchiveReader.scan(path, limits, held, sink);
    }

    @Override
    public ArchiveHead readHead() {
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw PivotctlException.invalid("archive " + path + " does not exist");
        } catch (IOException e) {
            throw PivotctlException.invalid("cannot read archive " + path + ": " + e.getMessage());
        }
        try (InputStream in = Files.newInputStream(path)) {
            return HeadReader.fromStream(in, size, path.toString());
        } catch (IOException e) {
            throw PivotctlException.invalid("cannot read archive " + path + ": " + e.getMessage());
        }
    }

    @Override
    public ArchiveWriter.Written write(Manifest manifest, List<ArchiveWriter.Source> sources, Optional<ArchiveWriter.Signer> signer) {
        return ArchiveWriter.write(path, manifest, sources, signer);
    }

    @Override
    public ArchiveWriter.Written write(ArchiveWriter.Body body) {
        return ArchiveWriter.write(path, body);
    }

    @Override
    public void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw PivotctlException.failed("cannot remove " + path + ": " + e.getMessage());
        }
    }

    @Override
    public void checkWritable() {
        // before the cluster is read, so nothing is read, paused or written when the answer is no
        Path dir = path.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw PivotctlException.usage("cannot write archive " + path + ": directory " + dir + " does not exist (nothing was changed)");
        }
        try {
            Files.delete(Files.createTempFile(dir, ".pivotctl-probe-", ".tmp"));
        } catch (IOException e) {
            throw PivotctlException.usage("cannot write archive " + path + ": directory " + dir + " is not writable (nothing was changed)");
        }
    }

    @Override
    public long size() {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw PivotctlException.failed("cannot read the size of " + path + ": " + e.getMessage());
        }
    }

    @Override
    public boolean compressed() {
        return ArchiveWriter.isGzipName(path.getFileName().toString());
    }

    @Override
    public String toString() {
        return path.toString();
    }
}

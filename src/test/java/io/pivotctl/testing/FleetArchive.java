package io.pivotctl.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test-scope tool (not run by the suite): makes the archive of a synthetic fleet of N hosts once, exported from a
 * real API server, with its key, into a directory that later measurements reuse ({@code ArchiveScaleIT}).
 * Loading and exporting 66,500 objects takes minutes, so it is done once and kept.
 * Usage: {@code FleetArchive DIR HOSTS} (writes DIR/fleet.tar.gz and DIR/key.txt, skips when both exist).
 */
public final class FleetArchive {

    private FleetArchive() {
    }

    public static void main(String[] args) {
        make(Path.of(args[0]), Integer.parseInt(args[1]));
        System.exit(0);
    }

    /** The archive of {@code hosts} hosts in {@code dir}, made now unless it is already there. */
    public static Path make(Path dir, int hosts) {
        Path archive = dir.resolve("fleet.tar.gz");
        if (Files.exists(archive) && Files.exists(dir.resolve("key.txt"))) {
            return archive;
        }
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("key.txt"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (TestApiServer source = TestApiServer.start()) {
            Crds.installPreferUpstream(source.client());
            InventoryLoader.load(source.kubeconfig(), Metal3Fleet.fleet("metal3", hosts), 16);
            TestKey key = TestKey.create(dir);
            Path partial = dir.resolve("partial.tar.gz");
            key.exportMetal3(source, partial);
            Files.move(partial, archive);
            return archive;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

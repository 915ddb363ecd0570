package io.pivotctl.rekey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.PassphraseSealer;
import io.pivotctl.crypto.SealingKeys;
import io.pivotctl.storage.ArchiveStore;
import io.pivotctl.validate.ArchiveKeys;
import io.pivotctl.validate.ArchiveValidation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreRekeyTest {

    @TempDir
    Path dir;

    private static SealingKeys to(AgeIdentity id) {
        return SealingKeys.prepare(List.of(id.recipient()), null, PassphraseSealer.DEFAULT_LOG_N);
    }

    @Test
    void aRerunAfterAnInterruptionFinishesSkipsWhatIsDoneAndListsWhatTheKeyCannotOpen() throws IOException {
        Path keys = Files.createDirectory(dir.resolve("keys"));
        Path store = Files.createDirectory(dir.resolve("backups"));
        AgeIdentity oldId = RekeyFixture.identity(keys, "old.txt");
        AgeIdentity newId = RekeyFixture.identity(keys, "new.txt");
        AgeIdentity stranger = RekeyFixture.identity(keys, "stranger.txt");
        for (String name : List.of("a.tar.gz", "b.tar.gz", "c.tar.gz")) {
            RekeyFixture.write(store.resolve(name), to(oldId), Optional.empty());
        }
        RekeyFixture.write(store.resolve("d-foreign.tar.gz"), to(stranger), Optional.empty());
        Files.writeString(store.resolve("notes.txt"), "not an archive\n");
        RekeyRequest request = new RekeyRequest(null, null, new ArchiveKeys(keys.resolve("old.txt"), null, null), to(newId), Optional.empty(), false);
        List<String> progress = new ArrayList<>();
        StoreRekey rekey = new StoreRekey(new RekeyService(progress::add, progress::add), progress::add, Optional.empty());

        // an interrupted run: "a" was replaced, a half-done new version of "b" is left in the staging folder
        new RekeyService(progress::add, progress::add).rekey(request.from(new io.pivotctl.storage.LocalArchive(store.resolve("a.tar.gz")),
                new io.pivotctl.storage.LocalArchive(dir.resolve("a-new.tar.gz"))));
        Files.move(dir.resolve("a-new.tar.gz"), store.resolve("a.tar.gz"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path staging = Files.createDirectory(store.resolve(ArchiveStore.STAGING));
        Files.write(staging.resolve("b.tar.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0});

        List<StoreRekey.Row> rows;
        try (ArchiveStore s = ArchiveStore.open(store.toString())) {
            rows = rekey.rekeyAll(s, request);
        }

        assertEquals(List.of("a.tar.gz:skipped", "b.tar.gz:rekeyed", "c.tar.gz:rekeyed", "d-foreign.tar.gz:failed", "notes.txt:other"),
                rows.stream().map(r -> r.name() + ":" + r.status()).toList());
        for (String name : List.of("a.tar.gz", "b.tar.gz", "c.tar.gz")) {
            var loaded = ArchiveValidation.validate(store.resolve(name), new ArchiveKeys(keys.resolve("new.txt"), null, null), ArchiveLimits.DEFAULT,
                    w -> { });
            assertTrue(loaded.report().valid() && loaded.report().secretsDecrypted() == 2, name + " is not opened by the new key");
            assertEquals(1, loaded.manifest().rekeyHistory().size(), name + " was rekeyed twice");
        }
        assertTrue(ArchiveValidation.validate(store.resolve("d-foreign.tar.gz"), new ArchiveKeys(keys.resolve("stranger.txt"), null, null),
                ArchiveLimits.DEFAULT, w -> { }).report().valid(), "an archive the key could not open was changed");
        assertFalse(Files.exists(staging), "the staging folder was left behind");
        try (var left = Files.list(store)) {
            assertEquals(List.of("a.tar.gz", "b.tar.gz", "c.tar.gz", "d-foreign.tar.gz", "notes.txt"),
                    left.map(p -> p.getFileName().toString()).sorted().toList());
        }
        RekeyServiceTest.assertNoSecretValue(progress);
    }
}

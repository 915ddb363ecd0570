package io.pivotctl.rekey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchiveContents;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.ArchiveReader;
import io.pivotctl.archive.EntryPaths;
import io.pivotctl.archive.Manifest;
import io.pivotctl.archive.ManifestCodec;
import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.crypto.ManifestSigner;
import io.pivotctl.crypto.PassphraseSealer;
import io.pivotctl.crypto.SealingKeys;
import io.pivotctl.storage.LocalArchive;
import io.pivotctl.validate.ArchiveKeys;
import io.pivotctl.validate.ArchiveValidation;
import io.pivotctl.validate.LoadedArchive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RekeyServiceTest {

    @TempDir
    Path dir;

    private final List<String> printed = new ArrayList<>();

    private RekeyService service() {
        return new RekeyService(printed::add, printed::add);
    }

    private static SealingKeys to(AgeIdentity... ids) {
        return SealingKeys.prepare(List.of(ids).stream().map(AgeIdentity::recipient).toList(), null, PassphraseSealer.DEFAULT_LOG_N);
    }

    private RekeyRequest request(Path in, Path out, ArchiveKeys old, SealingKeys keys) {
        return new RekeyRequest(new LocalArchive(in), new LocalArchive(out), old, keys, Optional.empty(), false);
    }

    private LoadedArchive validate(Path archive, ArchiveKeys keys) {
        return ArchiveValidation.validate(archive, keys, ArchiveLimits.DEFAULT, w -> { });
    }

    @Test
    void theNewIdentityOpensEverySecretTheOldOneNoneAndEveryOtherEntryKeepsItsBytes() throws IOException {
        AgeIdentity oldId = RekeyFixture.identity(dir, "old.txt");
        AgeIdentity newId = RekeyFixture.identity(dir, "new.txt");
        Path in = dir.resolve("in.tar.gz");
        Path out = dir.resolve("out.tar.gz");
        Manifest before = RekeyFixture.write(in, to(oldId), Optional.empty());

        RekeyResult result = service().rekey(request(in, out, new ArchiveKeys(dir.resolve("old.txt"), null, null), to(newId)));

        assertEquals(2, result.secretsRekeyed());
        assertEquals(before.archiveId(), result.archiveId());
        LoadedArchive withNew = validate(out, new ArchiveKeys(dir.resolve("new.txt"), null, null));
        assertTrue(withNew.report().valid(), () -> String.join("\n", withNew.report().errors()));
        assertEquals(2, withNew.report().secretsDecrypted());
        LoadedArchive withOld = validate(out, new ArchiveKeys(dir.resolve("old.txt"), null, null));
        assertFalse(withOld.report().valid(), "the old identity still opens a Secret of the rekeyed archive");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));

        ArchiveContents a = ArchiveReader.read(in, ArchiveLimits.DEFAULT);
        ArchiveContents b = ArchiveReader.read(out, ArchiveLimits.DEFAULT);
        assertEquals(a.entries().keySet(), b.entries().keySet());
        for (String path : a.entries().keySet()) {
            if (path.startsWith("secrets/")) {
                assertFalse(java.util.Arrays.equals(a.entries().get(path), b.entries().get(path)), path + " was not re-encrypted");
            } else if (!path.equals(EntryPaths.SUMMARY)) {
                assertArrayEquals(a.entries().get(path), b.entries().get(path), path + " changed");
            }
        }
        Manifest after = ManifestCodec.parse(b.manifestBytes());
        for (Manifest.Entry e : before.entries()) {
            Manifest.Entry now = after.entries().stream().filter(x -> x.path().equals(e.path())).findFirst().orElseThrow();
            if (e.path().startsWith("secrets/")) {
                assertNotEquals(e.sha256(), now.sha256(), e.path());
            } else {
                assertEquals(e, now, "the manifest entry of " + e.path() + " changed");
            }
        }
        Manifest.Rekey rekey = after.rekeyHistory().get(0);
        assertEquals(oldId.recipient(), rekey.from().get(0).publicKey());
        assertEquals(List.of(newId.recipient()), rekey.to().stream().map(Manifest.Recipient::publicKey).toList());
        assertEquals(List.of(newId.recipient()), after.encryption().recipients().stream().map(Manifest.Recipient::publicKey).toList());
        assertEquals(after.encryption(), withNew.summary().encryption(), "summary.json and the manifest disagree");
        assertNoSecretValue(printed);
    }

    @Test
    void aSignedArchiveIsRefusedWithoutASigningKeyAndSignedAgainWithOne() throws IOException {
        AgeIdentity oldId = RekeyFixture.identity(dir, "old.txt");
        AgeIdentity newId = RekeyFixture.identity(dir, "new.txt");
        KeyPair signing = ManifestSigner.generate();
        Path pub = dir.resolve("sign.pub");
        Files.writeString(pub, ManifestSigner.publicPem(signing.getPublic()));
        Path in = dir.resolve("in.tar");
        RekeyFixture.write(in, to(oldId), Optional.of(signing.getPrivate()));
        ArchiveKeys old = new ArchiveKeys(dir.resolve("old.txt"), null, pub);
        Path out = dir.resolve("out.tar");

        PivotctlException refused = assertThrows(PivotctlException.class, () -> service().rekey(request(in, out, old, to(newId))));
        assertEquals(Outcome.USAGE, refused.outcome());
        assertTrue(refused.getMessage().contains("--sign-key") && refused.getMessage().contains("--drop-signature"), refused.getMessage());
        assertFalse(Files.exists(out));

        service().rekey(new RekeyRequest(new LocalArchive(in), new LocalArchive(out), old, to(newId), Optional.of(signing.getPrivate()), false));
        LoadedArchive signed = validate(out, new ArchiveKeys(dir.resolve("new.txt"), null, pub));
        assertTrue(signed.report().valid() && signed.signed(), () -> String.join("\n", signed.report().errors()));

        Path unsigned = dir.resolve("unsigned.tar");
        service().rekey(new RekeyRequest(new LocalArchive(in), new LocalArchive(unsigned), old, to(newId), Optional.empty(), true));
        assertFalse(ArchiveReader.read(unsigned, ArchiveLimits.DEFAULT).signature().isPresent());
        PivotctlException notSigned = assertThrows(PivotctlException.class, () -> validate(unsigned, new ArchiveKeys(dir.resolve("new.txt"), null, pub)));
        assertTrue(notSigned.getMessage().contains("not signed"), notSigned.getMessage());
    }

    @Test
    void aNewPassphraseReplacesTheArchiveIdentityAndTheOldPassphraseOpensNothing() throws IOException {
        char[] oldPass = "old correct horse".toCharArray();
        char[] newPass = "new battery staple".toCharArray();
        Path in = dir.resolve("in.tar.gz");
        RekeyFixture.write(in, SealingKeys.prepare(List.of(), oldPass.clone(), 10), Optional.empty());
        Path out = dir.resolve("out.tar.gz");

        service().rekey(request(in, out, new ArchiveKeys(null, oldPass.clone(), null), SealingKeys.prepare(List.of(), newPass.clone(), 10)));

        assertTrue(validate(out, new ArchiveKeys(null, newPass.clone(), null)).report().secretsDecrypted() == 2);
        PivotctlException old = assertThrows(PivotctlException.class, () -> validate(out, new ArchiveKeys(null, oldPass.clone(), null)));
        assertTrue(old.getMessage().contains("wrong passphrase"), old.getMessage());
        assertFalse(java.util.Arrays.equals(ArchiveReader.read(in, ArchiveLimits.DEFAULT).entries().get(EntryPaths.ARCHIVE_IDENTITY),
                ArchiveReader.read(out, ArchiveLimits.DEFAULT).entries().get(EntryPaths.ARCHIVE_IDENTITY)));
    }

    @Test
    void fromAPassphraseToARecipientDropsTheArchiveIdentityAndBackAddsIt() throws IOException {
        AgeIdentity newId = RekeyFixture.identity(dir, "new.txt");
        Path in = dir.resolve("in.tar");
        RekeyFixture.write(in, SealingKeys.prepare(List.of(), "p1".toCharArray(), 10), Optional.empty());
        Path mid = dir.resolve("mid.tar");
        service().rekey(request(in, mid, new ArchiveKeys(null, "p1".toCharArray(), null), to(newId)));
        assertFalse(ArchiveReader.read(mid, ArchiveLimits.DEFAULT).entries().containsKey(EntryPaths.ARCHIVE_IDENTITY));
        assertTrue(validate(mid, new ArchiveKeys(dir.resolve("new.txt"), null, null)).report().valid());

        Path back = dir.resolve("back.tar");
        service().rekey(request(mid, back, new ArchiveKeys(dir.resolve("new.txt"), null, null), SealingKeys.prepare(List.of(), "p2".toCharArray(), 10)));
        LoadedArchive loaded = validate(back, new ArchiveKeys(null, "p2".toCharArray(), null));
        assertTrue(loaded.report().valid(), () -> String.join("\n", loaded.report().errors()));
        assertEquals(2, loaded.manifest().rekeyHistory().size(), "each rekey is recorded, oldest first");
        assertTrue(loaded.manifest().rekeyHistory().get(1).passphrase());
    }

    @Test
    void aWrongOldKeyIsExitThreeAndWritesNothing() throws IOException {
        AgeIdentity oldId = RekeyFixture.identity(dir, "old.txt");
        AgeIdentity other = RekeyFixture.identity(dir, "other.txt");
        Path in = dir.resolve("in.tar");
        RekeyFixture.write(in, to(oldId), Optional.empty());
        Path out = dir.resolve("out.tar");
        PivotctlException e = assertThrows(PivotctlException.class,
                () -> service().rekey(request(in, out, new ArchiveKeys(dir.resolve("other.txt"), null, null), to(other))));
        assertEquals(Outcome.INVALID, e.outcome());
        assertFalse(Files.exists(out));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(".out")).toList(), "a temp file was left");
        }
    }

    static void assertNoSecretValue(List<String> lines) {
        String all = String.join("\n", lines);
        for (String v : RekeyFixture.SECRET_VALUES) {
            if (v.length() > 3) {
                assertFalse(all.contains(v), "a Secret value was printed");
            }
        }
        assertFalse(all.contains("AGE-SECRET-KEY"), "a private key was printed");
        assertFalse(new String(all.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).contains("PRIVATE KEY"));
    }
}

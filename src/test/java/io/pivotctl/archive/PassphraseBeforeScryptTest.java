package io.pivotctl.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.crypto.ManifestSigner;
import io.pivotctl.validate.ArchiveKeys;
import io.pivotctl.validate.ArchiveValidation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In passphrase mode scrypt is the one costly step an archive can ask for. Every archive here asks for work
 * factor 22 (4 GiB): which message comes back shows which check ran first, and that scrypt never ran.
 */
class PassphraseBeforeScryptTest {

    @TempDir
    Path dir;

    private PivotctlException refused(Path archive, Path verifyKey) {
        ArchiveKeys keys = new ArchiveKeys(null, Bombs.PASSPHRASE.clone(), verifyKey);
        PivotctlException e = assertThrows(PivotctlException.class, () -> ArchiveValidation.validate(archive, keys, ArchiveLimits.DEFAULT, w -> { }));
        assertEquals(Outcome.INVALID, e.outcome(), e.getMessage());
        return e;
    }

    @Test
    void aWorkFactorOverTheCapIsRefused() {
        assertEquals("refusing to decrypt the archive identity (keys/archive-identity.age): scrypt work factor 22 is over pivotctl's limit"
                + " of 20 (export writes 18)", refused(Bombs.scrypt(dir, 22), null).getMessage());
    }

    @Test
    void anIdentityEntryThatDiffersFromTheManifestIsRefusedBeforeTheWorkFactorIsRead() {
        assertEquals("entry 'keys/archive-identity.age' is corrupt: size/sha256 differ from the manifest; the passphrase was not tried",
                refused(Bombs.scrypt(dir, 22, true), null).getMessage());
    }

    @Test
    void withAVerifyKeyAnUnsignedOrForeignSignedArchiveIsRefusedBeforeScrypt() throws Exception {
        Path key = dir.resolve("verify.pem");
        Files.writeString(key, ManifestSigner.publicPem(ManifestSigner.generate().getPublic()));
        // refused as the signature entry is missed, right after the manifest: nothing after it is read, scrypt least of all
        assertEquals("archive is not signed (no manifest.json.sig) but a verify key was given",
                refused(Bombs.scrypt(dir, 22), key).getMessage());

        java.security.KeyPair other = ManifestSigner.generate();
        Path signed = dir.resolve("signed.tar.gz");
        java.util.List<ArchiveWriter.Source> sources = new java.util.ArrayList<>();
        ArchiveContents c = ArchiveReader.read(Bombs.scrypt(dir, 22), ArchiveLimits.DEFAULT);
        Manifest m = ManifestCodec.parse(c.manifestBytes());
        for (Manifest.Entry e : m.entries()) {
            byte[] bytes = c.entry(e.path()).orElseThrow();
            sources.add(new ArchiveWriter.Source(e, () -> bytes));
        }
        ArchiveWriter.write(signed, m, sources, java.util.Optional.of(io.pivotctl.testing.Signers.of(other.getPrivate())));
        assertEquals("manifest signature (ed25519-sha256) does not verify with the given key: the archive was changed or signed by another key",
                refused(signed, key).getMessage());
    }
}

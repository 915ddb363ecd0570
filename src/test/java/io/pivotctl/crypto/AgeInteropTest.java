package io.pivotctl.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgeInteropTest {

    @TempDir
    Path dir;

    static final byte[] SECRET = "apiVersion: v1\nkind: Secret\ndata: {password: c2FtcGxlLWJtYy1wYXNzd29yZA==}\n".getBytes(StandardCharsets.UTF_8);

    private Path identityFile(AgeIdentity id) {
        Path f = dir.resolve("id-" + System.nanoTime() + ".txt");
        IdentityFiles.writeNew(f, id.toIdentityFile(Instant.now()).getBytes(StandardCharsets.UTF_8));
        return f;
    }

    @Test
    void roundTripsWithOneAndManyRecipientsAndLargeOrEmptyPlaintext() {
        AgeIdentity a = AgeIdentity.generate();
        AgeIdentity b = AgeIdentity.generate();
        byte[] big = new byte[(1 << 20) + 12345];
        new SecureRandom().nextBytes(big);
        for (byte[] plain : List.of(SECRET, big, new byte[0])) {
            byte[] sealed = new SecretSealer(List.of(a.recipient(), b.recipient())).seal(plain);
            assertArrayEquals(plain, SecretOpener.fromIdentities(List.of(a)).open("x", sealed));
            assertArrayEquals(plain, SecretOpener.fromIdentities(List.of(b)).open("x", sealed));
        }
    }

    @Test
    void ourCiphertextDecryptsWithTheAgeCli() throws Exception {
        AgeCli.require();
        AgeIdentity id = AgeIdentity.generate();
        Path in = dir.resolve("s.age");
        Files.write(in, new SecretSealer(List.of(id.recipient())).seal(SECRET));
        AgeCli.Result r = AgeCli.run(List.of("age", "-d", "-i", identityFile(id).toString(), in.toString()), null);
        assertEquals(0, r.exit(), r.stderr());
        assertArrayEquals(SECRET, r.stdout());
    }

    @Test
    void ageCliCiphertextAndAgeKeygenIdentityWorkHere() throws Exception {
        AgeCli.require();
        Path key = dir.resolve("k.txt");
        AgeCli.Result kg = AgeCli.run(List.of("age-keygen", "-o", key.toString()), null);
        assertEquals(0, kg.exit(), kg.stderr());
        List<AgeIdentity> ids = IdentityFiles.read(key, w -> { });
        assertEquals(1, ids.size());
        assertTrue(kg.stderr().contains(ids.get(0).recipient()), "age-keygen prints the same recipient we derive");
        Path enc = dir.resolve("x.age");
        AgeCli.Result e = AgeCli.run(List.of("age", "-r", ids.get(0).recipient(), "-o", enc.toString()), SECRET);
        assertEquals(0, e.exit(), e.stderr());
        assertArrayEquals(SECRET, SecretOpener.fromIdentities(ids).open("x", Files.readAllBytes(enc)));
    }

    @Test
    void ourPassphraseFileDecryptsWithTheAgeCli() throws Exception {
        AgeCli.require();
        Path in = dir.resolve("p.age");
        Path out = dir.resolve("p.out");
        Files.write(in, PassphraseSealer.seal(SECRET, "correct horse battery".toCharArray(), 10));
        AgeCli.Result r = AgeCli.withTty("age -d -o " + out + " " + in, "correct horse battery");
        assertEquals(0, r.exit(), r.stderr() + new String(r.stdout(), StandardCharsets.UTF_8));
        assertArrayEquals(SECRET, Files.readAllBytes(out));
    }

    @Test
    void ageCliPassphraseFileOpensHere() throws Exception {
        AgeCli.require();
        Path in = dir.resolve("plain.txt");
        Files.write(in, SECRET);
        Path enc = dir.resolve("p.age");
        AgeCli.Result r = AgeCli.withTty("age -p -o " + enc + " " + in, "tr0ub4dor&3", "tr0ub4dor&3");
        assertEquals(0, r.exit(), r.stderr() + new String(r.stdout(), StandardCharsets.UTF_8));
        assertArrayEquals(SECRET, PassphraseSealer.open(Files.readAllBytes(enc), "tr0ub4dor&3".toCharArray(), "x"));
    }

    @Test
    void passphraseModeUnlocksTheArchiveIdentity() {
        AgeIdentity archiveId = AgeIdentity.generate();
        byte[] sealedId = PassphraseSealer.seal(archiveId.toIdentityFile(Instant.now()).getBytes(StandardCharsets.UTF_8), "pw".toCharArray(), 10);
        byte[] secret = new SecretSealer(List.of(archiveId.recipient())).seal(SECRET);
        assertArrayEquals(SECRET, SecretOpener.fromPassphrase("pw".toCharArray(), sealedId).open("s", secret));
        PivotctlException wrong = assertThrows(PivotctlException.class, () -> SecretOpener.fromPassphrase("nope".toCharArray(), sealedId));
        assertEquals(Outcome.INVALID, wrong.outcome());
        assertEquals("cannot decrypt the archive identity (keys/archive-identity.age): wrong passphrase", wrong.getMessage());
    }

    @Test
    void wrongKeyAndDamageGiveOneLineWithoutKeyMaterial() {
        AgeIdentity right = AgeIdentity.generate();
        AgeIdentity wrong = AgeIdentity.generate();
        byte[] sealed = new SecretSealer(List.of(right.recipient())).seal(SECRET);
        List<PivotctlException> errors = new ArrayList<>();
        errors.add(assertThrows(PivotctlException.class, () -> SecretOpener.fromIdentities(List.of(wrong)).open("secrets/metal3/a.yaml.age", sealed)));
        byte[] flipped = sealed.clone();
        flipped[flipped.length - 5] ^= 1;
        errors.add(assertThrows(PivotctlException.class, () -> SecretOpener.fromIdentities(List.of(right)).open("secrets/metal3/a.yaml.age", flipped)));
        byte[] cut = java.util.Arrays.copyOf(sealed, sealed.length - 20);
        errors.add(assertThrows(PivotctlException.class, () -> SecretOpener.fromIdentities(List.of(right)).open("secrets/metal3/a.yaml.age", cut)));
        for (PivotctlException e : errors) {
            assertEquals(Outcome.INVALID, e.outcome());
            assertTrue(e.getMessage().startsWith("cannot decrypt secrets/metal3/a.yaml.age: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertFalse(e.getMessage().contains(right.secretKey()) || e.getMessage().contains(wrong.secretKey()));
            assertFalse(e.getMessage().contains("c2FtcGxl"), "no plaintext in the message");
        }
        assertTrue(errors.get(0).getMessage().contains("no identity matches"), errors.get(0).getMessage());
    }

    @Test
    void scryptWorkFactorAboveTheBoundIsRefusedBeforeAnyWork() {
        byte[] sealed = PassphraseSealer.seal(SECRET, "pw".toCharArray(), 10);
        String text = new String(sealed, StandardCharsets.ISO_8859_1).replaceFirst("(-> scrypt \\S+) 10\n", "$1 30\n");
        PivotctlException e = assertThrows(PivotctlException.class,
                () -> PassphraseSealer.open(text.getBytes(StandardCharsets.ISO_8859_1), "pw".toCharArray(), "x"));
        assertTrue(e.getMessage().contains("scrypt work factor 30 is over pivotctl's limit of 20"), e.getMessage());
    }

    @Test
    void identityToStringDoesNotRevealTheKey() {
        AgeIdentity id = AgeIdentity.generate();
        assertFalse(id.toString().contains("AGE-SECRET-KEY"));
        assertTrue(id.toString().contains(id.recipient()));
        assertEquals(id.recipient(), AgeIdentity.fromSecretKey(id.secretKey()).recipient());
    }
}

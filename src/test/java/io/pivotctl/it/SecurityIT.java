package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.Metal3Fleet;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret hygiene and signatures, end to end: passphrase mode, wrong keys, manifest signing, and a scan of
 * every byte pivotctl produced (output, archive except age payloads, journal and home directory) for the
 * known secret values, the passphrase and the private keys.
 */
class SecurityIT {

    /** Each test starts from a target without archived objects or journals: any order works. */
    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.two().withCrds(CrdSet.upstreamOrFixtures())
            .withFleet(Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("c1", 1, 1)), 1)).withTargetResetBeforeEach();

    @TempDir
    static Path dir;

    static final String PASSPHRASE = "correct-horse-battery-staple-2026";
    static Path passFile;
    static Path archive;
    static Path key;
    static final List<Cli.Result> outputs = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        passFile = dir.resolve("pass.txt");
        Files.writeString(passFile, PASSPHRASE + "\n");
        key = dir.resolve("sign.key");
        record(Cli.run("keygen", "--signing", "-o", key.toString()));
        archive = dir.resolve("p.tar.gz");
        // -v everywhere: the most verbose output pivotctl has is part of what the hygiene scan reads
        Cli.Result r = record(Cli.run("export", "-v", "--kubeconfig", servers.source().kubeconfig().toString(), "-n", "metal3", "-o", archive.toString(),
                "--passphrase-file", passFile.toString(), "--sign-key", key.toString()));
        assertEquals(0, r.exitCode(), r.toString());
    }

    static Cli.Result record(Cli.Result r) {
        outputs.add(r);
        return r;
    }

    @Test
    void passphraseModeValidatesImportsAndVerifies() throws Exception {
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(archive));
        Cli.Result v = record(Cli.run("validate", archive.toString(), "--passphrase-file", passFile.toString(), "--verify-key", key + ".pub"));
        assertEquals(0, v.exitCode(), v.toString());
        assertTrue(v.out().contains("signature verified"), v.out());
        Cli.Result i = record(Cli.run("import", "-v", archive.toString(), "--kubeconfig", servers.target().kubeconfig().toString(),
                "--passphrase-file", passFile.toString(), "--verify-key", key + ".pub"));
        assertEquals(0, i.exitCode(), i.toString());
        assertTrue(i.err().contains("[api] create secrets metal3/c1-ca: ok ("), "-v shows every request: " + i.err());
        Cli.Result ver = record(Cli.run("verify", "-v", archive.toString(), "--kubeconfig", servers.target().kubeconfig().toString(),
                "--passphrase-file", passFile.toString()));
        assertEquals(0, ver.exitCode(), ver.toString());
    }

    @Test
    void wrongPassphraseAndWrongKeysAreOneLineExitThree() throws Exception {
        Path wrong = dir.resolve("wrong.txt");
        Files.writeString(wrong, "not-the-passphrase\n");
        Cli.Result r = record(Cli.run("validate", archive.toString(), "--passphrase-file", wrong.toString()));
        assertEquals(3, r.exitCode(), r.toString());
        assertEquals("error: cannot decrypt the archive identity (keys/archive-identity.age): wrong passphrase", r.err().strip());

        Path otherKey = dir.resolve("other.key");
        record(Cli.run("keygen", "--signing", "-o", otherKey.toString()));
        Cli.Result sig = record(Cli.run("import", archive.toString(), "--kubeconfig", servers.target().kubeconfig().toString(),
                "--passphrase-file", passFile.toString(), "--verify-key", otherKey + ".pub", "--dry-run"));
        assertEquals(3, sig.exitCode(), sig.toString());
        assertTrue(sig.err().contains("manifest signature (") && sig.err().contains(") does not verify with the given key"), sig.err());

        Path identity = dir.resolve("id.txt");
        record(Cli.run("keygen", "-o", identity.toString()));
        Cli.Result id = record(Cli.run("validate", archive.toString(), "--identity", identity.toString()));
        assertEquals(3, id.exitCode(), id.toString());
        assertTrue(id.out().contains("cannot decrypt secrets/metal3/"), id.out());
        assertTrue(id.out().contains("no identity matches its recipients"), id.out());
    }

    @Test
    void passphraseOnTheCommandLineIsNotAccepted() {
        Cli.Result r = Cli.run("export", "--kubeconfig", servers.source().kubeconfig().toString(), "-o", dir.resolve("x.tgz").toString(),
                "--passphrase", PASSPHRASE);
        assertEquals(2, r.exitCode());
        assertFalse(r.err().contains(PASSPHRASE), "the rejected value is not echoed back");
    }

    @Test
    void noSecretPassphraseOrPrivateKeyInAnyProducedByte() throws Exception {
        List<String> needles = new ArrayList<>(Metal3Fleet.secretValues(servers.fleet()).stream().filter(v -> v.contains("fleet-secret")).toList());
        needles.add(PASSPHRASE);
        String signKey = Files.readString(key);
        needles.add(signKey.substring(signKey.indexOf('\n') + 1, signKey.indexOf('\n') + 40));
        assertTrue(needles.size() > 10);
        // the most verbose runs of every command that reads the Secrets, made here so this test needs no other
        String target = servers.target().kubeconfig().toString();
        record(Cli.run("validate", "-v", archive.toString(), "--passphrase-file", passFile.toString(), "--verify-key", key + ".pub"));
        assertEquals(0, record(Cli.run("import", "-v", archive.toString(), "--kubeconfig", target, "--passphrase-file", passFile.toString()))
                .exitCode());
        record(Cli.run("verify", "-v", archive.toString(), "--kubeconfig", target, "--passphrase-file", passFile.toString()));
        record(Cli.run("import", "-v", archive.toString(), "--kubeconfig", target, "--passphrase-file", passFile.toString(), "--dry-run"));
        StringBuilder produced = new StringBuilder();
        outputs.forEach(o -> produced.append(o.out()).append(o.err()));
        // the archive, except the age payloads (ciphertext)
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(archive)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                byte[] b = tar.readAllBytes();
                if (!e.getName().endsWith(".age")) {
                    produced.append(new String(b, StandardCharsets.ISO_8859_1));
                }
            }
        }
        // journals and anything else under pivotctl's home, and files left in the working directory (no temp files)
        try (Stream<Path> files = Stream.concat(Files.walk(dir), Files.exists(servers.home()) ? Files.walk(servers.home()) : Stream.empty())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String n = f.getFileName().toString();
                if (n.equals("pass.txt") || n.endsWith(".key") || n.equals("id.txt") || n.equals("wrong.txt") || f.equals(archive)) {
                    continue; // the inputs we gave it, and the archive scanned above
                }
                produced.append(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        String all = produced.toString();
        assertTrue(all.contains("provisioned") || all.contains("BareMetalHost"), "the scan sees real output");
        for (String s : needles) {
            String b64 = Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
            assertFalse(all.contains(s), "leaked: " + s.substring(0, Math.min(12, s.length())) + "...");
            assertFalse(all.contains(b64), "leaked (base64): " + s.substring(0, Math.min(12, s.length())) + "...");
        }
        try (Stream<Path> leftovers = Files.list(dir)) {
            assertFalse(leftovers.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temp archive left");
        }
    }

    static byte[] gunzip(Path p) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p)); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}

package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.archive.Manifest;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Cli;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.TargetReset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The compatibility promise (formats/pivot-archive-v1.md, "Versions"): every archive an earlier pivotctl wrote, kept
 * under src/test/resources/archives/VERSION/ with the identity and signing key that open it, still validates, imports
 * into a real API server and verifies equal, signed ones with their signature required. A format change adds archives
 * there; none is ever removed.
 */
class CompatibilityArchivesIT {

    static final Path ARCHIVES = Path.of("src/test/resources/archives");

    @RegisterExtension
    // the archives carry no CRDs (the upstream ones are never copied into this repository): the target has them
    static final ApiServersExtension servers = ApiServersExtension.one().withCrds(CrdSet.upstream());

    /** Archives imported so far: the target is cleaned before every import but the first. */
    static int imports;

    /** One kept archive: its file and the keys of its version's folder. */
    record Kept(Path archive, Path identity, Path verifyKey, boolean signed) {
        String version() {
            return archive.getParent().getFileName().toString();
        }
    }

    static List<Kept> kept() throws IOException {
        List<Kept> out = new ArrayList<>();
        try (Stream<Path> versions = Files.list(ARCHIVES)) {
            for (Path v : versions.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(v)) {
                    for (Path a : files.filter(f -> f.toString().endsWith(".tar.gz")).sorted().toList()) {
                        out.add(new Kept(a, v.resolve("identity.txt"), v.resolve("signing.pub"), hasSignature(a)));
                    }
                }
            }
        }
        return out;
    }

    /** By the entry, not the file name: a stock tar reader's view. */
    static boolean hasSignature(Path archive) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive)); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.getName().equals("manifest.json.sig")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theCurrentFormatKeepsASignedAndAnUnsignedArchive() throws IOException {
        String current = Manifest.FORMAT_VERSION;
        List<Kept> ofCurrent = kept().stream().filter(k -> k.version().equals(current)).toList();
        assertTrue(ofCurrent.stream().anyMatch(Kept::signed), "a signed archive of format " + current + " in " + ARCHIVES);
        assertTrue(ofCurrent.stream().anyMatch(k -> !k.signed()), "an unsigned archive of format " + current + " in " + ARCHIVES);
        assertTrue(kept().stream().anyMatch(k -> k.version().equals("1.0")), "the 1.0 archives are never removed");
    }

    @TestFactory
    Stream<DynamicTest> everyKeptArchiveValidatesImportsAndVerifies() throws IOException {
        return kept().stream().map(k -> DynamicTest.dynamicTest(k.version() + "/" + k.archive().getFileName(), () -> readsBack(k)));
    }

    private void readsBack(Kept k) throws IOException {
        Path identity = privateCopy(k.identity());
        String archive = k.archive().toString();
        String kubeconfig = servers.source().kubeconfig().toString();
        List<String> keys = new ArrayList<>(List.of("--identity", identity.toString()));
        if (k.signed()) {
            keys.addAll(List.of("--verify-key", k.verifyKey().toString()));
        }
        Cli.Result validate = Cli.run(Cli.concat(new String[] {"validate", archive}, keys.toArray(String[]::new)));
        assertEquals(0, validate.exitCode(), validate.toString());
        if (imports++ > 0) {
            TargetReset.clean(servers.source().client(), "metal3", servers.home());
            servers.source().client().genericKubernetesResources("ipam.cluster.x-k8s.io/v1alpha2", "GlobalInClusterIPPool").delete();
        }
        List<String> importArgs = new ArrayList<>(List.of("import", archive, "--kubeconfig", kubeconfig, "-q"));
        importArgs.addAll(keys);
        if (k.signed()) {
            importArgs.add("--require-signature");
        }
        Cli.Result imported = Cli.run(importArgs);
        assertEquals(0, imported.exitCode(), imported.toString());
        Cli.Result verify = Cli.run(Cli.concat(new String[] {"verify", archive, "--kubeconfig", kubeconfig}, keys.toArray(String[]::new)));
        assertEquals(0, verify.exitCode(), verify.toString());
        assertTrue(verify.out().contains("EQUAL"), verify.toString());
    }

    /** Git keeps the identity world-readable; pivotctl rightly warns about that, so it reads a 0600 copy. */
    private static Path privateCopy(Path identity) throws IOException {
        Path copy = servers.dir().resolve("identity-" + identity.getParent().getFileName() + ".txt");
        Files.deleteIfExists(copy);
        Files.createFile(copy, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(copy, Files.readAllBytes(identity));
        return copy;
    }
}

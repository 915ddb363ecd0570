package io.pivotctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Options that do not go together are refused with exit 2 and one error line before anything is read: the archive,
 * kubeconfig and key files named here do not exist, so any other answer (exit 3 "archive ... does not exist", a
 * kubeconfig error) would show that one was opened first.
 */
class OptionChecksTest {

    static final String ARCHIVE = "/nonexistent/never-read.tar.gz";
    static final String KUBECONFIG = "/nonexistent/never-read.kubeconfig";
    static final String FILE = "/nonexistent/never-read.key";

    static Stream<Arguments> conflicts() {
        return Stream.of(
                Arguments.of(List.of("release-source", ARCHIVE, "--verified-on", KUBECONFIG, "--skip-verify"),
                        "--verified-on=TARGET_KUBECONFIG, --skip-verify are mutually exclusive"),
                Arguments.of(List.of("release-source", ARCHIVE, "--verified-on-context", "dst"), "--verified-on-context needs --verified-on"),
                Arguments.of(List.of("export", ARCHIVE, "-A", "-n", "metal3"), "--namespace=NS, --all-namespaces are mutually exclusive"),
                Arguments.of(List.of("export", ARCHIVE, "-n", "metal3", "--all-namespaces"), "mutually exclusive"),
                Arguments.of(List.of("export", ARCHIVE, "--leases-file", FILE, "--leases-from-configmap", "metal3/leases"), "mutually exclusive"),
                Arguments.of(List.of("export", ARCHIVE, "-o", ARCHIVE + ".old"), "the ARCHIVE is named twice, as ARCHIVE and as -o FILE: give it once, as ARCHIVE"),
                Arguments.of(List.of("export", "-o", "json"), "Missing required parameter: 'ARCHIVE'"),
                Arguments.of(List.of("export", ARCHIVE, "--leases-from-pod", "no-slash"), "--leases-from-pod wants NS/POD[:CONTAINER]"),
                Arguments.of(List.of("import", ARCHIVE, "--identity", FILE, "--passphrase-file", FILE), "mutually exclusive"),
                Arguments.of(List.of("import", ARCHIVE, "--dry-run", "--rollback"), "--dry-run, --rollback are mutually exclusive"),
                Arguments.of(List.of("validate", ARCHIVE, "-i", FILE, "--passphrase-file", FILE), "mutually exclusive"),
                Arguments.of(List.of("validate", ARCHIVE, "--require-signature"), "--require-signature needs --verify-key FILE"),
                Arguments.of(List.of("verify", ARCHIVE, "--require-signature"), "--require-signature needs --verify-key FILE"),
                Arguments.of(List.of("release-source", ARCHIVE, "--require-signature"), "--require-signature needs --verify-key FILE"),
                Arguments.of(List.of("unpause", ARCHIVE, "--require-signature"), "--require-signature needs --verify-key FILE"),
                Arguments.of(List.of("verify", ARCHIVE, "--chunk-size", "-1"), "--chunk-size must be 0 (no paging) or a positive number"),
                Arguments.of(List.of("unpause", ARCHIVE, "--chunk-size", "-1"), "--chunk-size must be 0 (no paging) or a positive number"),
                Arguments.of(List.of("inspect", ARCHIVE, "-o", "xml"), "--output wants a format: table or json"),
                Arguments.of(List.of("verify", ARCHIVE, "-o", "yaml"), "--output wants a format: table or json"),
                Arguments.of(List.of("backups", "list", "/nonexistent/never-read/", "-o", "wide"), "--output wants a format: table or json"),
                Arguments.of(List.of("keygen", "--signing"), "--signing needs FILE"),
                Arguments.of(List.of("keygen", FILE, "-o", FILE + ".old"), "the FILE is named twice, as FILE and as -o FILE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conflicts")
    void areExitTwoInOneLineBeforeAnythingIsRead(List<String> args, String message) {
        List<String> all = new ArrayList<>(args);
        if (List.of("export", "verify", "release-source", "unpause").contains(args.get(0))) {
            all.addAll(List.of("--kubeconfig", KUBECONFIG));
        }
        Cli.Result r = Cli.run(all);
        assertEquals(2, r.exitCode(), r.toString());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).contains(message), r.err());
        assertFalse(errors.get(0).startsWith("error: Error:"), "one 'error:' prefix: " + r.err());
        assertFalse(r.err().contains("does not exist") || r.err().contains("kubeconfig " + KUBECONFIG), "nothing was read: " + r.err());
        assertTrue(Files.notExists(Path.of(FILE)) && Files.notExists(Path.of(FILE + ".old")), "nothing was written");
        assertEquals("", r.out(), "no result on a usage error");
    }

    @Test
    void namespacesStillRepeat() {
        // -n is in an exclusive group with -A; repeating it is one choice, not a conflict (the run then fails on the kubeconfig)
        Cli.Result r = Cli.run("export", ARCHIVE, "-n", "a", "-n", "b", "--recipient", "age1x", "--kubeconfig", KUBECONFIG);
        assertFalse(r.err().contains("mutually exclusive"), r.err());
    }

    @Test
    void aChoiceOfOneIsNoConflict() {
        Cli.Result r = Cli.run("release-source", ARCHIVE, "--verified-on", KUBECONFIG, "--verified-on-context", "dst");
        assertEquals(3, r.exitCode(), "the checks pass and the archive is then looked for: " + r);
        assertTrue(r.err().contains("archive " + ARCHIVE + " does not exist"), r.err());
    }
}

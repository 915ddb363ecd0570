package io.pivotctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.kube.NamespacedName;
import io.pivotctl.testing.Cli;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * picocli judges the import command line before anything is read: the archive named here does not exist, so any
 * answer other than the usage error would show that a file was opened first.
 */
class ImportUsageTest {

    static final String MISSING = "/nonexistent/never-read.tar.gz";

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of(List.of("--resume", "--rollback"), "mutually exclusive"),
                Arguments.of(List.of("--dry-run", "--resume"), "mutually exclusive"),
                Arguments.of(List.of("--dry-run", "--no-rollback"), "--no-rollback applies to an import or --resume"),
                Arguments.of(List.of("--rollback", "--no-rollback"), "--no-rollback applies to an import or --resume"),
                Arguments.of(List.of("--leases-configmap", "no-slash"), "wants NS/NAME"),
                Arguments.of(List.of("--leases-configmap", "ns/"), "wants NS/NAME"),
                Arguments.of(List.of("--require-signature"), "--require-signature needs --verify-key FILE"),
                Arguments.of(List.of("--cluster", "prod-b", "--only", "leases"), "--cluster restores a Cluster's objects, never the leases"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void areExitTwoBeforeTheArchiveIsRead(List<String> options, String message) {
        List<String> args = new java.util.ArrayList<>(List.of("import", MISSING));
        args.addAll(options);
        Cli.Result r = Cli.run(args);
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains(message), r.err());
        assertFalse(r.err().contains("never-read"), "the archive was not looked at: " + r.err());
        assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("error:")).count(), r.err());
    }

    static Stream<Arguments> names() {
        return Stream.of(Arguments.of("metal3/leases", new NamespacedName("metal3", "leases"), null),
                Arguments.of("a/b/c", null, "wants NS/NAME"), Arguments.of("/b", null, "wants NS/NAME"), Arguments.of("", null, "wants NS/NAME"));
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("names")
    void nsNameIsParsedInOnePlace(String text, NamespacedName expected, String error) {
        try {
            assertEquals(expected, new NamespacedNameConverter().convert(text));
            assertEquals(null, error);
        } catch (picocli.CommandLine.TypeConversionException e) {
            assertTrue(e.getMessage().contains(error), e.getMessage());
        }
    }

    @Test
    void helpNamesTheSignatureOption() {
        assertTrue(Cli.run("import", "--help").out().contains("--require-signature"));
    }
}

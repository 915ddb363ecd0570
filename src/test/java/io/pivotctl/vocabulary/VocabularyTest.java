package io.pivotctl.vocabulary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One home for each word: every annotation and label name of the vocabulary is spelled out in {@code src/main/java}
 * exactly once, in this package. Anywhere else (code, a help text, a comment) it must be named by its constant,
 * so a change of name is one change.
 */
class VocabularyTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Path HOME = MAIN.resolve("io/pivotctl/vocabulary");
    private static final List<Class<?>> CLASSES = List.of(Metal3.class, ClusterApi.class, PivotctlMarks.class, Kubernetes.class);

    @Test
    void everyWordIsSpelledOutOnlyInTheVocabulary() {
        List<String> found = spelledOutOutside(MAIN, HOME, words());
        assertTrue(found.isEmpty(), "vocabulary words spelled out outside " + HOME + " (use the constant):\n" + String.join("\n", found));
    }

    @Test
    void everyWordIsDefinedOnce() {
        String vocabulary = readAll(HOME);
        for (String word : words()) {
            assertEquals(1, count(vocabulary, "\"" + javaEscaped(word) + "\""), word + " is defined more than once in " + HOME);
        }
    }

    @Test
    void everyVocabularyClassIsChecked() throws IOException {
        try (Stream<Path> files = Files.list(HOME)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java") && !n.equals("package-info.java"))
                    .map(n -> n.substring(0, n.length() - ".java".length())).sorted().toList();
            assertEquals(names, CLASSES.stream().map(Class::getSimpleName).sorted().toList(), "a vocabulary class this test does not read");
        }
    }

    /** The scan finds a word where it is spelled out, in code or in a comment, and names the file and line. */
    @Test
    void theScanFindsAWordSpelledOutElsewhere(@TempDir Path root) throws IOException {
        Path home = Files.createDirectories(root.resolve("io/pivotctl/vocabulary"));
        Files.writeString(home.resolve("Metal3.java"), "String HOST_PAUSED = \"" + Metal3.HOST_PAUSED + "\";\n");
        Path export = Files.createDirectories(root.resolve("io/pivotctl/export"));
        Files.writeString(export.resolve("Pauser.java"), "class Pauser {\n    // sets " + Metal3.HOST_PAUSED + "\n}\n");
        Files.writeString(export.resolve("Other.java"), "class Other {\n    String s = Metal3.HOST_PAUSED;\n}\n");

        List<String> found = spelledOutOutside(root, home, List.of(Metal3.HOST_PAUSED, Metal3.DETACH_DELETE_ACTION));

        assertEquals(List.of(export.resolve("Pauser.java") + ":2: " + Metal3.HOST_PAUSED), found);
    }

    @Test
    void theWordsAreTheVocabularyConstants() {
        List<String> words = words();
        assertTrue(words.containsAll(List.of(Metal3.HOST_PAUSED, Metal3.HOST_DETACHED, Metal3.HOST_STATUS, Metal3.DETACH_DELETE_ACTION,
                ClusterApi.MOVE, ClusterApi.MOVE_HIERARCHY, ClusterApi.BLOCK_MOVE, ClusterApi.CLUSTER_NAME, PivotctlMarks.PAUSED_BY,
                PivotctlMarks.RESTORED_FROM, PivotctlMarks.IMPORT_RUN, Kubernetes.LAST_APPLIED)), words.toString());
        // plain words ("pivotctl", "detached", "baremetal") are values that also read as prose: defined once, not scanned for
        assertTrue(!words.contains(PivotctlMarks.PAUSED_BY_PIVOTCTL) && !words.contains(Metal3.OPERATIONAL_DETACHED), words.toString());
    }

    /** Every String constant of the vocabulary that is a qualified name (or another value that does not read as prose). */
    private static List<String> words() {
        List<String> out = new ArrayList<>();
        for (Class<?> c : CLASSES) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                    String value = (String) get(f);
                    if (!value.matches("[a-z]+")) {
                        out.add(value);
                    }
                }
            }
        }
        return out;
    }

    /** "file:line: word" for every line of a .java file under {@code root}, outside {@code home}, that spells out a word. */
    static List<String> spelledOutOutside(Path root, Path home, List<String> words) {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles(root)) {
            if (file.startsWith(home)) {
                continue;
            }
            List<String> lines = readLines(file);
            for (int i = 0; i < lines.size(); i++) {
                for (String word : words) {
                    if (lines.get(i).contains(word) || lines.get(i).contains(javaEscaped(word))) {
                        found.add(file + ":" + (i + 1) + ": " + word);
                    }
                }
            }
        }
        return found;
    }

    private static List<Path> javaFiles(Path root) {
        assertTrue(Files.isDirectory(root), root + " is not a directory (tests run from the project directory)");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAll(Path dir) {
        StringBuilder b = new StringBuilder();
        javaFiles(dir).forEach(f -> readLines(f).forEach(l -> b.append(l).append('\n')));
        return b.toString();
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaEscaped(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static Object get(Field f) {
        try {
            return f.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}

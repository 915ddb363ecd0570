package io.pivotctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rules a reviewer would otherwise count by hand: no method in the packages that delete or decide
 * ({@code restore}, {@code verify}, {@code release}) over 60 lines, and no method or constructor anywhere in
 * {@code src/main} over 6 parameters, except a record's canonical constructor (the record rule, builders or named
 * factories over 8 components, covers those). A light scanner, not a Java parser: it reads declarations that open
 * a body, with string and character literals and line comments blanked first.
 */
class ArchitectureTest {

    static final Path MAIN = Path.of("src/main/java/io/pivotctl");
    static final Set<String> SMALL_METHOD_PACKAGES = Set.of("restore", "verify", "release");
    static final int MAX_LINES = 60;
    static final int MAX_PARAMETERS = 6;

    private static final Pattern DECLARATION = Pattern.compile(
            "^\\s+(?:(?:public|private|protected|static|final|synchronized|abstract|default)\\s+)*(?:<[^>]+>\\s+)?"
                    + "(?:[\\w.<>\\[\\],? ]+?\\s+)?(\\w+)\\s*\\(");
    private static final Pattern NOT_A_DECLARATION = Pattern.compile("^\\s+(return|new|if|for|while|switch|catch|else|throw|try|do|synchronized)\\b");
    private static final Pattern RECORD = Pattern.compile("\\brecord\\s+(\\w+)\\s*(?:<[^>]*>)?\\s*\\(([^)]*)\\)");

    record Method(Path file, int line, String name, int parameters, int lines) {
        @Override
        public String toString() {
            return MAIN.relativize(file) + ":" + line + " " + name + " (" + parameters + " parameters, " + lines + " lines)";
        }
    }

    @Test
    void noMethodInRestoreVerifyOrReleaseIsOverSixtyLines() {
        List<Method> tooLong = methods().stream()
                .filter(m -> SMALL_METHOD_PACKAGES.contains(MAIN.relativize(m.file()).getName(0).toString()))
                .filter(m -> m.lines() > MAX_LINES).toList();
        assertEquals(List.of(), tooLong, "methods over " + MAX_LINES + " lines: split them into named steps");
    }

    @Test
    void noMethodTakesMoreThanSixParameters() {
        List<Method> wide = new ArrayList<>();
        for (Method m : methods()) {
            if (m.parameters() > MAX_PARAMETERS && !isCanonicalConstructor(m)) {
                wide.add(m);
            }
        }
        assertEquals(List.of(), wide, "methods over " + MAX_PARAMETERS + " parameters: group them into a value that names what they are");
    }

    /** The scanner itself: it must see a long method and a wide one, or the two rules above would pass on nothing. */
    @Test
    void theScannerSeesLengthAndParameters() {
        List<String> source = new ArrayList<>(List.of("class X {", "    private static int wide(int a, java.util.Map<String, Integer> b, int c,",
                "            int d, int e, int f, String g) {", "        String s = \"{ not a brace\";"));
        for (int i = 0; i < 70; i++) {
            source.add("        s = s + '}';");
        }
        source.add("        return 1;");
        source.add("    }");
        source.add("}");
        List<Method> found = scan(Path.of("X.java"), source);
        assertEquals(1, found.size(), found.toString());
        assertEquals("wide", found.get(0).name());
        assertEquals(7, found.get(0).parameters());
        assertEquals(75, found.get(0).lines());
        assertTrue(methods().size() > 500, "the scanner finds the code base's methods: " + methods().size());
    }

    private static boolean isCanonicalConstructor(Method m) {
        try {
            Matcher r = RECORD.matcher(Files.readString(m.file()).replaceAll("\\s+", " "));
            while (r.find()) {
                if (r.group(1).equals(m.name()) && countParameters(r.group(2)) == m.parameters()) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Method> methods() {
        List<Method> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                out.addAll(scan(f, Files.readAllLines(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<Method> scan(Path file, List<String> raw) {
        List<String> lines = raw.stream().map(ArchitectureTest::blank).toList();
        List<Method> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m = DECLARATION.matcher(line);
            if (!m.find() || NOT_A_DECLARATION.matcher(line).find() || line.substring(0, line.indexOf('(')).contains("=")) {
                continue;
            }
            StringBuilder signature = new StringBuilder(line);
            int j = i;
            while (signature.indexOf("{") < 0 && signature.indexOf(";") < 0 && j < lines.size() - 1) {
                signature.append(' ').append(lines.get(++j));
            }
            int brace = signature.indexOf("{");
            int semicolon = signature.indexOf(";");
            if (brace < 0 || semicolon >= 0 && semicolon < brace) {
                continue; // an abstract or interface method, a call, a field
            }
            out.add(new Method(file, i + 1, m.group(1), countParameters(parameterList(signature.toString())), bodyLines(lines, i)));
        }
        return out;
    }

    private static String parameterList(String signature) {
        int start = signature.indexOf('(') + 1;
        int depth = 1;
        int k = start;
        while (k < signature.length() && depth > 0) {
            char c = signature.charAt(k++);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        }
        return signature.substring(start, k - 1);
    }

    static int countParameters(String list) {
        if (list.isBlank()) {
            return 0;
        }
        int depth = 0;
        int n = 1;
        for (char c : list.toCharArray()) {
            if (c == '<' || c == '(') {
                depth++;
            } else if (c == '>' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                n++;
            }
        }
        return n;
    }

    private static int bodyLines(List<String> lines, int from) {
        int depth = 0;
        boolean opened = false;
        for (int k = from; k < lines.size(); k++) {
            for (char c : lines.get(k).toCharArray()) {
                if (c == '{') {
                    depth++;
                    opened = true;
                } else if (c == '}') {
                    depth--;
                }
            }
            if (opened && depth <= 0) {
                return k - from + 1;
            }
        }
        return lines.size() - from;
    }

    /** String and character literals and line comments blanked, so their braces and commas are not counted. */
    private static String blank(String line) {
        return line.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("'(\\\\.|[^'\\\\])'", "''").replaceAll("//.*", "");
    }
}

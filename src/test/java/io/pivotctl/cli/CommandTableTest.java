package io.pivotctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The README's command table and {@code --help} agree: one row per command, each row names every option of the
 * command (one of its names; the shared ones are named once, in the paragraph under the table) and its positional
 * parameters, and nothing the command does not take. Hidden options (old spellings) are in neither.
 */
class CommandTableTest {

    /** Named once under the table, for the commands that paragraph lists. */
    static final Set<String> KUBE = Set.of("--kubeconfig", "--context", "--concurrency", "--qps", "--chunk-size", "-v");
    static final String QUIET = "-q";

    static Map<String, String> rows;
    static String shared;
    static Map<String, CommandSpec> commands;

    @BeforeAll
    static void read() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("\n## Commands\n"));
        section = section.substring(0, section.indexOf("\n## ", 5));
        commands = new LinkedHashMap<>();
        leaves(new CommandLine(new PivotctlCommand()), commands);
        rows = new LinkedHashMap<>();
        String table = section.substring(section.indexOf("| command | what it does |")).split("\n\n")[0];
        for (String line : table.lines().filter(l -> l.startsWith("| `")).toList()) {
            String cell = line.substring(3, line.indexOf("` |")).replace("\\|", "|");
            String name = commands.keySet().stream().filter(c -> cell.equals(c) || cell.startsWith(c + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("README row names no command: " + cell));
            rows.put(name, cell.substring(name.length()));
        }
        shared = section.substring(section.indexOf("Not repeated in the table:")).split("\n\n")[0].replace('\n', ' ');
    }

    private static void leaves(CommandLine cl, Map<String, CommandSpec> out) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (spec.userObject() instanceof CommandLine.HelpCommand) {
                continue;
            }
            if (sub.getSubcommands().isEmpty()) {
                out.put(spec.qualifiedName(" ").substring("pivotctl ".length()), spec);
            } else {
                leaves(sub, out);
            }
        }
    }

    @Test
    void everyCommandHasOneRowAndEveryRowACommand() {
        assertEquals(commands.keySet(), rows.keySet());
    }

    @Test
    void eachRowNamesTheCommandsOwnOptionsAndNothingElse() {
        List<String> problems = new ArrayList<>();
        commands.forEach((name, spec) -> {
            String row = rows.get(name);
            Set<String> named = optionsIn(row);
            Set<String> known = new TreeSet<>();
            for (OptionSpec o : visible(spec)) {
                known.addAll(List.of(o.names()));
                boolean isShared = KUBE.contains(o.longestName()) || o.names()[0].equals(QUIET) || o.shortestName().equals("-v");
                if (!isShared && List.of(o.names()).stream().noneMatch(named::contains)) {
                    problems.add(name + ": README row lacks " + o.longestName());
                }
            }
            named.stream().filter(n -> !known.contains(n)).forEach(n -> problems.add(name + ": README row names " + n + ", which --help does not have"));
            spec.positionalParameters().stream().filter(p -> !p.hidden())
                    .filter(p -> !Pattern.compile("\\b" + Pattern.quote(p.paramLabel()) + "\\b").matcher(row).find())
                    .forEach(p -> problems.add(name + ": README row lacks the positional " + p.paramLabel()));
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void theSharedOptionsAreNamedUnderTheTableForExactlyTheCommandsThatTakeThem() {
        for (String option : union(KUBE, Set.of(QUIET))) {
            assertTrue(shared.contains("`" + option), option + " is not named under the table: " + shared);
        }
        Set<String> cluster = backticked(between(shared, "talk to a cluster (", ")"));
        assertEquals(taking("--kubeconfig"), cluster, "the commands said to talk to a cluster");
        Set<String> withoutQuiet = backticked(between(shared, "on every command but", ";"));
        assertEquals(new TreeSet<>(commands.keySet()).stream().filter(c -> !taking(QUIET).contains(c)).collect(Collectors.toSet()), withoutQuiet);
        for (String c : cluster) {
            for (String option : KUBE) {
                assertTrue(taking(option).contains(c), c + " lacks " + option);
            }
        }
    }

    @Test
    void outputIsAlwaysTheFormatAndVerboseAlwaysTheTrace() {
        commands.forEach((name, spec) -> {
            OptionSpec o = spec.findOption("-o");
            if (o != null) {
                assertEquals("FORMAT", o.paramLabel(), name);
                assertTrue(rows.get(name).contains("-o table|json"), name + ": " + rows.get(name));
            }
            OptionSpec v = spec.findOption("-v");
            if (v != null && !v.hidden()) {
                assertTrue(spec.findOption("--kubeconfig") != null, name + ": a visible -v on a command that talks to no cluster");
            }
        });
    }

    private static List<OptionSpec> visible(CommandSpec spec) {
        return spec.options().stream().filter(o -> !o.hidden() && !o.usageHelp() && !o.versionHelp()).toList();
    }

    private static Set<String> taking(String option) {
        return commands.entrySet().stream().filter(e -> visible(e.getValue()).stream().anyMatch(o -> List.of(o.names()).contains(option)))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> optionsIn(String row) {
        return found(row, "(?<![\\w-])(--?[a-zA-Z][\\w-]*)");
    }

    private static Set<String> backticked(String text) {
        return found(text, "`([a-z][a-z -]*)`");
    }

    /** Every text the first group of {@code regex} matches in {@code text}. */
    private static Set<String> found(String text, String regex) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "'" + start + "' not under the table: " + text);
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }
}

package io.pivotctl.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** {@code --show-left-out}: what the export saw and did not archive, one line per kind and reason, and each object with the option. */
final class LeftOutOption {

    /** Objects of one kind left out for one reason ("2 Secrets not referenced by an exported object"); names may be fewer than count. */
    record Group(String description, int count, List<String> names) {
    }

    @Option(names = "--show-left-out", description = "Name each object the export left out (the archive keeps only the count of Secrets and ConfigMaps).")
    boolean show;

    /**
     * "HEADING: nothing" or "HEADING: N object(s)", then each group; each object under it with --show-left-out or when
     * {@code named} says so for another reason (the deprecated -v spellings).
     */
    void print(Console console, String heading, List<Group> groups, boolean named) {
        int total = groups.stream().mapToInt(Group::count).sum();
        boolean names = show || named;
        console.result(heading + ": " + (total == 0 ? "nothing" : total + " object(s)" + (names ? "" : " (--show-left-out names each)")));
        for (Group g : groups) {
            console.result("  " + g.description());
            if (names) {
                g.names().forEach(id -> console.result("    " + id));
            }
        }
    }
}

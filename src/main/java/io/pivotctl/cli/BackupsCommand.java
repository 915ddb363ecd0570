package io.pivotctl.cli;

import io.pivotctl.Json;
import io.pivotctl.backups.BackupCatalog;
import io.pivotctl.backups.BackupEntry;
import io.pivotctl.backups.GroupBy;
import io.pivotctl.backups.PruneReport;
import io.pivotctl.backups.PruneService;
import io.pivotctl.backups.RetentionPolicy;
import io.pivotctl.storage.ArchiveStore;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "backups", mixinStandardHelpOptions = true,
        description = "Archives kept as backups in a directory or an S3 prefix: list them (manifests only, nothing downloaded whole) and prune them.",
        subcommands = {BackupsCommand.ListCommand.class, BackupsCommand.PruneCommand.class})
final class BackupsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    enum Format { table, json }

    enum Grouping { source, none }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "One row per archive under LOCATION (s3://BUCKET/PREFIX/ or a directory), newest first; anything that is not"
                    + " a pivotctl archive is listed as such.")
    static final class ListCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LOCATION")
        String location;

        @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT", description = "table or json (default: ${DEFAULT-VALUE}).")
        Format format;

        @Override
        public Integer call() throws Exception {
            Console console = new Console(spec, false);
            List<BackupEntry> entries;
            try (ArchiveStore store = ArchiveStore.open(location)) {
                entries = BackupCatalog.list(store, Instant.now());
            }
            if (format == Format.json) {
                console.result(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(entries));
                return 0;
            }
            console.result(String.format("%-20s %-36s %-24s %-24s %7s %5s %9s %-6s %s", "CREATED", "ARCHIVE ID", "SOURCE", "CLUSTERS",
                    "OBJECTS", "HOSTS", "SIZE", "SIGNED", "RECIPIENTS"));
            for (BackupEntry e : entries) {
                if (!e.isArchive()) {
                    console.result(String.format("%-20s %-36s %s", "-", "(not an archive)", e.name() + ": " + e.problem()));
                    continue;
                }
                String recipients = e.recipients().size() + (e.passphrase() ? " + passphrase" : "");
                console.result(String.format("%-20s %-36s %-24s %-24s %7d %5d %9s %-6s %s", (e.futureDated() ? "(future-dated) " : "") + e.createdAt(), e.archiveId(),
                        cut(e.sourceServer(), 24), cut(e.clusters().isEmpty() ? "-" : String.join(",", e.clusters()), 24), e.objects(), e.hosts(),
                        human(e.size()), e.signed() ? "yes" : "no", recipients));
                console.result("  " + e.location() + "  group: " + e.group() + (e.recipients().isEmpty() ? "" : "  to " + String.join(", ", e.recipients())));
            }
            long archives = entries.stream().filter(BackupEntry::isArchive).count();
            console.result(archives + " archive(s), " + (entries.size() - archives) + " other object(s) in " + location);
            return 0;
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Delete the archives under LOCATION that no --keep-* rule keeps, as restic's forget does: each rule keeps the newest archive",
                "of each of the last N hours/days/ISO weeks/months (UTC) that have one, in each group (source cluster and selection) on",
                "its own. Archives are ordered by their creation time bounded by when they were stored; one created more than 10 minutes",
                "after it was stored is future-dated: kept and named, never counted as newest. The newest archive of every group is always",
                "kept, anything that is not a pivotctl archive is left alone, and pivotctl uploads directly under LOCATION that never",
                "completed (killed exports) are aborted."
            })
    static final class PruneCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LOCATION")
        String location;

        @Option(names = "--keep-last", paramLabel = "N", defaultValue = "0", description = "Keep the N newest archives.")
        int last;

        @Option(names = "--keep-hourly", paramLabel = "N", defaultValue = "0", description = "Keep the newest archive of each of the last N hours that have one.")
        int hourly;

        @Option(names = "--keep-daily", paramLabel = "N", defaultValue = "0", description = "... of each of the last N days.")
        int daily;

        @Option(names = "--keep-weekly", paramLabel = "N", defaultValue = "0", description = "... of each of the last N ISO weeks.")
        int weekly;

        @Option(names = "--keep-monthly", paramLabel = "N", defaultValue = "0", description = "... of each of the last N months.")
        int monthly;

        @Option(names = "--group-by", paramLabel = "source|none", defaultValue = "source",
                description = "source: one history per source cluster and selection (several clusters can share a prefix); none: all archives"
                        + " together (default: ${DEFAULT-VALUE}).")
        Grouping groupBy;

        @Option(names = "--dry-run", description = "Print what would be kept and deleted; delete nothing.")
        boolean dryRun;

        @Option(names = "--abort-uploads-older-than", paramLabel = "DURATION", defaultValue = "24h",
                description = "Abort incomplete uploads started longer ago than this (default: ${DEFAULT-VALUE}; e.g. 30m, 24h, 2d).")
        String uploadAge;

        @Mixin
        MetricsOptions metrics;

        @Override
        public Integer call() {
            Console console = new Console(spec, false);
            RetentionPolicy policy = new RetentionPolicy(last, hourly, daily, weekly, monthly);
            Duration age = duration(uploadAge);
            PruneReport r;
            try (ArchiveStore store = ArchiveStore.open(location)) {
                r = new PruneService().prune(store, policy, groupBy == Grouping.none ? GroupBy.NONE : GroupBy.SOURCE, dryRun, age, Instant.now());
            }
            for (String group : r.groups()) {
                console.result("group: " + group);
                for (PruneReport.Row k : r.kept()) {
                    if (k.group().equals(group)) {
                        console.result(String.format("keep    %-20s %s  (%s)", k.createdAt(), k.name(), String.join(", ", k.reasons())));
                    }
                }
                for (PruneReport.Row d : r.deleted()) {
                    if (d.group().equals(group)) {
                        console.result(String.format("%s %-20s %s", dryRun ? "would delete" : "delete ", d.createdAt(), d.name()));
                    }
                }
            }
            for (String other : r.leftAlone()) {
                console.result("ignore  " + other);
            }
            for (String u : r.abortedUploads()) {
                console.result((dryRun ? "would abort incomplete upload " : "aborted incomplete upload ") + u);
            }
            console.result((dryRun ? "Dry run: would keep " : "Kept ") + r.kept().size() + ", " + (dryRun ? "would delete " : "deleted ")
                    + r.deleted().size() + " archive(s) (" + human(r.deletedBytes()) + ") in " + r.location());
            metrics.record(r.kept().size() + r.deleted().size(), 0, r.deletedBytes());
            return 0;
        }
    }

    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("\\d+[smhd]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw io.pivotctl.PivotctlException.usage("'" + text + "' is not a duration: use e.g. 30m, 24h, 2d");
        }
    }

    static String cut(String s, int width) {
        return s == null ? "-" : s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}

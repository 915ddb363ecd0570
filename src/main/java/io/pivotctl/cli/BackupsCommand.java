package io.pivotctl.cli;

import io.pivotctl.backups.BackupCatalog;
import io.pivotctl.backups.BackupEntry;
import io.pivotctl.backups.GroupBy;
import io.pivotctl.backups.PruneReport;
import io.pivotctl.backups.PruneService;
import io.pivotctl.backups.RetentionPolicy;
import io.pivotctl.storage.ArchiveStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "backups", mixinStandardHelpOptions = true,
        description = "Archives kept as backups in a directory or an S3 prefix: list them (summaries only, nothing downloaded whole), prune them"
                + " and rekey them.",
        subcommands = {BackupsCommand.ListCommand.class, BackupsCommand.PruneCommand.class, BackupsRekeyCommand.class})
final class BackupsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** LOCATION of list and prune: where the archives are kept. */
    static final class Location {
        @Parameters(index = "0", paramLabel = "LOCATION", description = "s3://BUCKET/PREFIX/ or a directory (not recursive).")
        String location;
    }

    enum Grouping { source, none }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "One row per archive under LOCATION (s3://BUCKET/PREFIX/ or a directory), newest first; anything that is not"
                    + " a pivotctl archive is listed as such.")
    static final class ListCommand extends PrintingCommand {

        @Mixin
        Location where;

        @Override
        int run(Console console) {
            List<BackupEntry> entries;
            try (ArchiveStore store = ArchiveStore.open(where.location)) {
                entries = BackupCatalog.list(store, Instant.now());
            }
            format.print(console, () -> entries, () -> printTable(console, entries, where.location));
            return 0;
        }

        private static void printTable(Console console, List<BackupEntry> entries, String location) {
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
    static final class PruneCommand extends PrintingCommand {

        @Mixin
        Location where;

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

        @Option(names = "--abort-uploads-older-than", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
                description = "Abort incomplete uploads started longer ago than this (default: ${DEFAULT-VALUE}; e.g. 30m, 24h, 2d).")
        Duration uploadAge;

        @Mixin
        MetricsOptions metrics;

        @Override
        int run(Console console) {
            RetentionPolicy policy = new RetentionPolicy(last, hourly, daily, weekly, monthly);
            PruneReport r;
            try (ArchiveStore store = ArchiveStore.open(where.location)) {
                r = new PruneService().prune(store, policy, groupBy == Grouping.none ? GroupBy.NONE : GroupBy.SOURCE, dryRun, uploadAge, Instant.now());
            }
            format.print(console, () -> r, () -> printTable(console, r));
            metrics.record(r.kept().size() + r.deleted().size(), 0, r.deletedBytes());
            return 0;
        }

        private static void printTable(Console console, PruneReport r) {
            boolean dryRun = r.dryRun();
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

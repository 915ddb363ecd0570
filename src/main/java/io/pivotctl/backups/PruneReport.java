package io.pivotctl.backups;

import java.util.List;

/** What {@code backups prune} decided and did. Non-archives are never deleted: they are listed as left alone. */
public record PruneReport(String location, boolean dryRun, List<Row> kept, List<Row> deleted, List<String> leftAlone,
        List<String> abortedUploads, long deletedBytes) {

    /** An archive of one {@code group} with the reasons it is kept (empty for a deleted one). */
    public record Row(String name, String createdAt, long size, String group, boolean futureDated, List<String> reasons) {
        public Row {
            reasons = List.copyOf(reasons);
        }
    }

    public PruneReport {
        kept = List.copyOf(kept);
        deleted = List.copyOf(deleted);
        leftAlone = List.copyOf(leftAlone);
        abortedUploads = List.copyOf(abortedUploads);
    }

    /** The groups decided on, in the order of the rows. */
    public List<String> groups() {
        return java.util.stream.Stream.concat(kept.stream(), deleted.stream()).map(Row::group).distinct().sorted().toList();
    }
}

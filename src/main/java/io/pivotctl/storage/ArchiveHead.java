package io.pivotctl.storage;

import io.pivotctl.archive.Summary;

/**
 * The beginning of a stored archive: its summary ({@code summary.json}; for a format 1.0 archive, computed from its
 * streamed manifest) and the stored size in bytes.
 */
public record ArchiveHead(Summary summary, long archiveBytes) {

    public boolean signed() {
        return summary.signature() != null;
    }
}

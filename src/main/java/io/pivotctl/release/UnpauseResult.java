package io.pivotctl.release;

import java.util.List;

/** What {@code pivotctl unpause} did with each object the manifest records as paused by export. */
public record UnpauseResult(String archiveId, String source, List<Item> items) {

    public UnpauseResult {
        items = List.copyOf(items);
    }

    public enum Outcome { UNPAUSED, ALREADY_UNPAUSED, GONE, LEFT_ALONE }

    /** {@code detail} names what was changed or why not (never a value other than a pause marker). */
    public record Item(String object, Outcome outcome, String detail) {
    }

    public long count(Outcome o) {
        return items.stream().filter(i -> i.outcome() == o).count();
    }
}

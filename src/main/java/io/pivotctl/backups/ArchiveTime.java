package io.pivotctl.backups;

import java.time.Duration;
import java.time.Instant;

/**
 * When an archive was made, as far as it can be proven. The manifest's {@code createdAt} is what the exporting
 * machine's clock said, and anyone who can edit the file can change it; the store's LastModified (S3) or the file's
 * mtime says when the bytes were written. An archive cannot have been made after it was stored, so the stored time
 * bounds the claim: an archive claiming more than {@link #SKEW} after its stored time (or after now) is future-dated,
 * and a rule that trusted it would call it newest forever.
 */
public final class ArchiveTime {

    /** Clock skew allowed between the exporting machine and the store. */
    public static final Duration SKEW = Duration.ofMinutes(10);

    private ArchiveTime() {
    }

    /** The claim, bounded by when the bytes were stored: the earlier of the two. */
    public static Instant proven(Instant createdAt, Instant stored) {
        return stored == null || createdAt.isBefore(stored) ? createdAt : stored;
    }

    /** Created more than {@link #SKEW} after it was stored, or after {@code now}. */
    public static boolean futureDated(Instant createdAt, Instant stored, Instant now) {
        Instant bound = stored == null || now.isBefore(stored) ? now : stored;
        return createdAt.isAfter(bound.plus(SKEW));
    }
}

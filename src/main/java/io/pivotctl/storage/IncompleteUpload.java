package io.pivotctl.storage;

import java.time.Instant;

/** A multipart upload that was started and never completed nor aborted (a killed export): it holds parts, no object. */
public record IncompleteUpload(String key, String uploadId, Instant initiated) {

    @Override
    public String toString() {
        return key + " (started " + initiated + ")"; // the upload id is an opaque handle, not worth printing
    }
}

package io.pivotctl.storage;

import java.time.Instant;

/** One file or object found in an archive store, before anything says whether it is an archive. */
public record StoredObject(String name, long size, Instant lastModified, ArchiveLocation location) {
}

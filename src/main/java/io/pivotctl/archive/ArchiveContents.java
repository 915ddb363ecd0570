package io.pivotctl.archive;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a safe read of an archive found: the entries' bytes in archive order (unsafe entries are left
 * out and reported in {@code problems}), the manifest and optional signature bytes.
 */
public record ArchiveContents(byte[] manifestBytes, Optional<byte[]> signature, Map<String, byte[]> entries,
        List<String> order, List<String> problems) {

    public ArchiveContents {
        entries = Collections.unmodifiableMap(entries);
        order = List.copyOf(order);
        problems = List.copyOf(problems);
    }

    public Optional<byte[]> entry(String path) {
        return Optional.ofNullable(entries.get(path));
    }
}

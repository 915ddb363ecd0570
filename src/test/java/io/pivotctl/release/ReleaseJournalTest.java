package io.pivotctl.release;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release journal: private, appended across runs, readable after a crash cut a line. */
class ReleaseJournalTest {

    @TempDir
    Path dir;

    @Test
    void privateAppendedAcrossRunsAndACutLineIsSkipped() throws Exception {
        Path path = dir.resolve("home/journal/release-a-b.jsonl");
        try (ReleaseJournal j = ReleaseJournal.open(path)) {
            j.append("begin", "a", null);
            j.append("delete", "core/Secret/metal3/x", "uid-1");
        }
        try (ReleaseJournal j = ReleaseJournal.open(path)) {
            j.append("delete", "metal3.io/BareMetalHost/metal3/h", "uid-2");
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent())));
        Files.writeString(path, "{\"op\":\"delete\",\"id\":\"core/Sec\n", StandardOpenOption.APPEND); // cut by a crash
        try (ReleaseJournal j = ReleaseJournal.open(path)) {
            j.append("finish", "a", null);
        }
        List<ReleaseJournal.Record> records = ReleaseJournal.read(path);
        assertEquals(List.of("begin", "delete", "delete", "finish"), records.stream().map(ReleaseJournal.Record::op).toList());
        assertEquals("uid-2", records.get(2).uid());
        assertEquals(List.of(), ReleaseJournal.read(dir.resolve("none.jsonl")));
    }
}

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
        List<ReleaseJournal.Record> records = ReleaseJournal.readShared(path).stream().filter(r -> !r.op().equals("open")).toList();
        assertEquals(List.of("begin", "delete", "delete", "finish"), records.stream().map(ReleaseJournal.Record::op).toList());
        assertEquals("uid-2", records.get(2).uid());
        assertEquals(List.of(), ReleaseJournal.readShared(dir.resolve("none.jsonl")));
        assertEquals(false, Files.exists(dir.resolve("none.jsonl")), "reading creates nothing");
    }

    @Test
    void oneRunAtATimeAndEarlierRecordsAreReadUnderTheLock() {
        Path path = dir.resolve("home/journal/release-a-c.jsonl");
        try (ReleaseJournal first = ReleaseJournal.open(path)) {
            first.append("delete", "core/Secret/metal3/x", "uid-1");
            io.pivotctl.PivotctlException busy = org.junit.jupiter.api.Assertions.assertThrows(io.pivotctl.PivotctlException.class,
                    () -> ReleaseJournal.open(path));
            assertEquals(io.pivotctl.Outcome.FAILED, busy.outcome());
            org.junit.jupiter.api.Assertions.assertTrue(busy.getMessage().contains("is in use by pid " + ProcessHandle.current().pid()), busy.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(io.pivotctl.PivotctlException.class, () -> ReleaseJournal.readShared(path),
                    "a plan does not read a journal a run is writing");
        }
        try (ReleaseJournal second = ReleaseJournal.open(path)) {
            assertEquals(List.of("open", "delete"), second.records().stream().map(ReleaseJournal.Record::op).toList());
        }
        assertEquals(List.of("open", "delete", "open"), ReleaseJournal.readShared(path).stream().map(ReleaseJournal.Record::op).toList());
    }
}

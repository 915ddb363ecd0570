package io.pivotctl.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.PivotctlException;
import io.pivotctl.graph.ObjectId;
import io.pivotctl.kube.ResourceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JournalTest {

    static final ResourceType HOSTS = new ResourceType("metal3.io", "v1alpha1", "BareMetalHost", "baremetalhosts", true, true);
    static final ObjectId H0 = new ObjectId("metal3.io", "BareMetalHost", "m3", "h0");
    static final ObjectId H1 = new ObjectId("metal3.io", "BareMetalHost", "m3", "h1");

    static final String BEGIN = "{\"op\":\"begin\",\"id\":\"run-1\"}";
    static final String CREATE_H0 = "{\"op\":\"create\",\"id\":\"metal3.io/BareMetalHost/m3/h0\",\"resource\":\"baremetalhosts.metal3.io\","
            + "\"oldUid\":\"a0\",\"newUid\":\"b0\",\"level\":0}";
    static final String STATUS_H0 = "{\"op\":\"status\",\"id\":\"metal3.io/BareMetalHost/m3/h0\",\"resource\":\"baremetalhosts.metal3.io\",\"level\":0}";
    static final String UPDATE_H1 = "{\"op\":\"update\",\"id\":\"metal3.io/BareMetalHost/m3/h1\",\"resource\":\"baremetalhosts.metal3.io\","
            + "\"oldUid\":\"a1\",\"newUid\":\"b1\",\"level\":0}";

    static Stream<Arguments> journals() {
        return Stream.of(
                Arguments.of("empty", List.of(), Set.of(), Set.of(), Map.of(), false),
                Arguments.of("a create and its status", List.of(BEGIN, CREATE_H0, STATUS_H0), Set.of(H0), Set.of(H0), Map.of("a0", "b0"), false),
                Arguments.of("a torn last line is ignored", List.of(BEGIN, CREATE_H0, "{\"op\":\"status\",\"id\":\"metal3.io/Bare"),
                        Set.of(H0), Set.of(), Map.of("a0", "b0"), false),
                Arguments.of("an update maps UIDs but is no create", List.of(BEGIN, UPDATE_H1), Set.of(), Set.of(), Map.of("a1", "b1"), false),
                Arguments.of("applied", List.of(BEGIN, CREATE_H0, "{\"op\":\"applied\"}"), Set.of(H0), Set.of(), Map.of("a0", "b0"), true),
                Arguments.of("an unknown op ends the readable part", List.of(BEGIN, "{\"op\":\"frobnicate\"}", CREATE_H0),
                        Set.of(), Set.of(), Map.of(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("journals")
    void decodesWhatTheRunDid(String name, List<String> lines, Set<ObjectId> created, Set<ObjectId> status, Map<String, String> uids, boolean applied) {
        Journal.State s = Journal.state(Journal.read(lines));
        assertEquals(created, s.created());
        assertEquals(status, s.statusWritten());
        assertEquals(uids, s.uids());
        assertEquals(applied, s.applied());
    }

    @Test
    void writesReadableLinesWithOwnerOnlyModeAndReopensThem(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("journal").resolve("a-b.jsonl");
        try (Journal j = Journal.create(path)) {
            assertFalse(j.reopened(), "made by this run");
            j.created(H0, HOSTS, "a0", "b0", 0);
            j.statusWritten(H0, HOSTS, 0);
            j.namespaceCreated("m3", "n1");
        }
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(path));
        List<String> lines = Files.readAllLines(path);
        assertTrue(lines.get(0).startsWith("{\"op\":\"begin\""), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"op\":\"open\",\"id\":\"pid "), lines.get(1));
        assertTrue(lines.get(2).startsWith(CREATE_H0.substring(0, CREATE_H0.length() - 1)), lines.get(2));
        assertTrue(lines.get(4).contains("\"op\":\"namespace\",\"id\":\"m3\"") && lines.get(4).contains("\"newUid\":\"n1\""), lines.get(4));
        try (Journal again = Journal.open(path, "--resume")) {
            assertTrue(again.reopened(), "kept by an earlier run: a resumed run knows it from its journal");
            assertEquals(Set.of(H0), again.state().created());
            assertFalse(again.runId().isEmpty());
        }
    }

    @Test
    void aSecondRunOnTheSameJournalIsRefusedNamingTheHolder(@TempDir Path dir) {
        Path path = dir.resolve("journal").resolve("a-b.jsonl");
        try (Journal first = Journal.create(path)) {
            PivotctlException e = assertThrows(PivotctlException.class, () -> Journal.open(path, "--resume"));
            assertTrue(e.getMessage().contains("is in use by pid " + ProcessHandle.current().pid()), e.getMessage());
            PivotctlException again = assertThrows(PivotctlException.class, () -> Journal.create(path));
            assertTrue(again.getMessage().contains("is in use by pid"), again.getMessage());
        }
    }

    @Test
    void afterARollbackWasCutShortOnlyRollbackMayContinue(@TempDir Path dir) {
        Path path = dir.resolve("journal").resolve("a-b.jsonl");
        try (Journal j = Journal.create(path)) {
            j.created(H0, HOSTS, "a0", "b0", 0);
            j.rollbackStarted();
        }
        PivotctlException e = assertThrows(PivotctlException.class, () -> Journal.open(path, "--resume"));
        assertTrue(e.getMessage().contains("run again with --rollback"), e.getMessage());
        Journal.open(path, "--rollback").close();
    }

    @Test
    void aTornLastLineIsCutBeforeTheNextRunAppends(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("journal").resolve("a-b.jsonl");
        Journal.create(path).close();
        Files.writeString(path, CREATE_H0 + "\n{\"op\":\"status\",\"id\":\"metal3.io/Bare", java.nio.file.StandardOpenOption.APPEND);
        try (Journal j = Journal.open(path, "--resume")) {
            j.statusWritten(H1, HOSTS, 0);
        }
        Journal.State s = Journal.state(Journal.read(Files.readAllLines(path)));
        assertEquals(Set.of(H0), s.created());
        assertEquals(Set.of(H1), s.statusWritten(), "the line written after the torn one is read back");
    }

    /** Group commit: every line is in the file at once (a killed process loses none); durable lines wait for an fsync covering them. */
    @Test
    void labelledCreatesAreWrittenAtOnceAndDurableLinesCoverEverythingBefore(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("j.jsonl");
        try (Journal j = Journal.create(path)) {
            assertEquals(0, j.unforced(), "the run id is durable before the first create (every created object is labelled with it)");
            for (int i = 0; i < 50; i++) {
                ObjectId h = new ObjectId("metal3.io", "BareMetalHost", "m3", "h" + i);
                j.created(h, HOSTS, "a" + i, "b" + i, 0);
                j.statusWritten(h, HOSTS, 0);
            }
            assertEquals(50, Journal.state(Journal.read(Files.readAllLines(path))).created().size(), "written, fsynced or not");
            j.created(new ObjectId("", "ConfigMap", "ironic", "leases"), ResourceType.CONFIG_MAP, null, "c1", -1, false);
            assertEquals(0, j.unforced(), "an unlabelled create is durable before it returns, with every line before it");
            j.created(H0, HOSTS, "x", "y", 1);
            j.applied();
            assertEquals(0, j.unforced(), "applied is durable, and covers the creates before it");
        }
    }

    @Test
    void concurrentDurableWritersAllReturnCovered(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("j.jsonl");
        try (Journal j = Journal.create(path)) {
            List<Thread> threads = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int n = t;
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 20; i++) {
                        j.updated(new ObjectId("metal3.io", "BareMetalHost", "m3", "h" + n + "-" + i), HOSTS, "a", "b", 0);
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(0, j.unforced());
            assertEquals(160, Journal.state(Journal.read(Files.readAllLines(path))).updated().size());
        }
    }
}

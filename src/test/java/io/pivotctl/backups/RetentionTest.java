package io.pivotctl.backups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The calendar-bucket retention over synthetic archive dates (UTC), restic forget semantics. */
class RetentionTest {

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("daily keeps the newest of each day",
                        new RetentionPolicy(0, 0, 3, 0, 0),
                        List.of("2026-11-05T10:00:00Z", "2026-11-05T08:00:00Z", "2026-11-04T23:00:00Z", "2026-11-04T01:00:00Z",
                                "2026-11-03T12:00:00Z", "2026-11-02T12:00:00Z", "2026-11-01T12:00:00Z"),
                        List.of("2026-11-05T10:00:00Z", "2026-11-04T23:00:00Z", "2026-11-03T12:00:00Z")),
                Arguments.of("last and weekly add up; a week already kept keeps no second archive",
                        new RetentionPolicy(2, 0, 0, 2, 0),
                        List.of("2026-11-25T12:00:00Z", "2026-11-24T12:00:00Z", "2026-11-23T12:00:00Z", "2026-11-22T12:00:00Z",
                                "2026-11-16T12:00:00Z", "2026-11-15T12:00:00Z", "2026-11-01T12:00:00Z"),
                        List.of("2026-11-25T12:00:00Z", "2026-11-24T12:00:00Z", "2026-11-22T12:00:00Z")),
                Arguments.of("ISO weeks cross the new year (2027-01-01 is in 2026-W53)",
                        new RetentionPolicy(0, 0, 0, 2, 0),
                        List.of("2027-01-04T00:00:00Z", "2027-01-01T00:00:00Z", "2026-12-28T00:00:00Z", "2026-12-27T00:00:00Z"),
                        List.of("2027-01-04T00:00:00Z", "2027-01-01T00:00:00Z")),
                Arguments.of("months across a year boundary",
                        new RetentionPolicy(0, 0, 0, 0, 2),
                        List.of("2027-01-05T00:00:00Z", "2026-12-31T23:59:59Z", "2026-12-01T00:00:00Z", "2026-11-30T00:00:00Z"),
                        List.of("2027-01-05T00:00:00Z", "2026-12-31T23:59:59Z")),
                Arguments.of("hours skip the hours without an archive",
                        new RetentionPolicy(0, 2, 0, 0, 0),
                        List.of("2026-11-25T10:59:00Z", "2026-11-25T10:01:00Z", "2026-11-25T08:30:00Z", "2026-11-25T07:00:00Z"),
                        List.of("2026-11-25T10:59:00Z", "2026-11-25T08:30:00Z")),
                Arguments.of("the classic 7 daily, 4 weekly, 6 monthly over 100 daily archives",
                        new RetentionPolicy(0, 0, 7, 4, 6),
                        daysBack("2026-11-25T02:00:00Z", 100),
                        // 7 days: 25..19; weeks: W48 (25, already), W47 (22 Sun), W46 (15), W45 (8); the 4th week is W45 since
                        // weekly counts its own buckets: W48 by 11-25, W47 by 11-22, W46 by 11-15, W45 by 11-08.
                        // months: 2026-11 (25), 10 (31), 09 (30), 08 (31): only 100 days of history, so 4 of 6
                        List.of("2026-11-25T02:00:00Z", "2026-11-24T02:00:00Z", "2026-11-23T02:00:00Z", "2026-11-22T02:00:00Z",
                                "2026-11-21T02:00:00Z", "2026-11-20T02:00:00Z", "2026-11-19T02:00:00Z", "2026-11-15T02:00:00Z",
                                "2026-11-08T02:00:00Z", "2026-10-31T02:00:00Z", "2026-09-30T02:00:00Z", "2026-08-31T02:00:00Z")));
    }

    static List<String> daysBack(String newest, int days) {
        Instant t = Instant.parse(newest);
        return java.util.stream.IntStream.range(0, days).mapToObj(i -> t.minus(java.time.Duration.ofDays(i)).toString()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void keepsExactlyTheExpectedArchives(String name, RetentionPolicy policy, List<String> dates, List<String> expectedKept) {
        // shuffled input: the plan must not depend on listing order
        List<Retention.Candidate> in = new java.util.ArrayList<>(dates.stream().map(d -> new Retention.Candidate("a-" + d, Instant.parse(d))).toList());
        java.util.Collections.shuffle(in, new java.util.Random(7));
        List<Retention.Decision> plan = Retention.plan(in, policy);
        List<String> kept = plan.stream().filter(Retention.Decision::keep).map(d -> d.archive().time().toString()).toList();
        assertEquals(expectedKept, kept);
        assertEquals(dates.size(), plan.size(), "every archive gets a decision");
        plan.stream().filter(d -> !d.keep()).forEach(d -> assertTrue(d.reasons().isEmpty()));
    }

    @Test
    void reasonsNameTheRuleAndBucket() {
        List<Retention.Decision> plan = Retention.plan(List.of(new Retention.Candidate("b", Instant.parse("2026-11-25T10:00:00Z")),
                new Retention.Candidate("a", Instant.parse("2026-11-24T10:00:00Z"))), new RetentionPolicy(1, 0, 2, 1, 0));
        assertEquals(List.of("newest archive", "last 1/1", "daily 2026-11-25", "weekly 2026-W48"), plan.get(0).reasons());
        assertEquals(List.of("daily 2026-11-24"), plan.get(1).reasons());
    }

    @Test
    void aPolicyThatKeepsNothingIsRefused() {
        PivotctlException e = assertThrows(PivotctlException.class, () -> new RetentionPolicy(0, 0, 0, 0, 0));
        assertEquals(Outcome.USAGE, e.outcome());
        assertTrue(e.getMessage().startsWith("this policy keeps nothing"), e.getMessage());
        assertEquals(Outcome.USAGE, assertThrows(PivotctlException.class, () -> new RetentionPolicy(-1, 0, 1, 0, 0)).outcome());
    }

    @Test
    void theNewestArchiveIsAlwaysKept() {
        String[] dates = {"2026-11-25T10:00:00Z", "2026-10-01T00:00:00Z", "2026-09-01T00:00:00Z"};
        List<Retention.Candidate> in = Arrays.stream(dates).map(d -> new Retention.Candidate(d, Instant.parse(d))).toList();
        for (RetentionPolicy p : List.of(new RetentionPolicy(1, 0, 0, 0, 0), new RetentionPolicy(0, 1, 0, 0, 0),
                new RetentionPolicy(0, 0, 0, 0, 1))) {
            Retention.Decision newest = Retention.plan(in, p).get(0);
            assertEquals("2026-11-25T10:00:00Z", newest.archive().name());
            assertTrue(newest.keep());
        }
    }

    @Test
    void eachGroupKeepsItsOwnHistoryAndItsNewest() {
        List<Retention.Candidate> in = List.of(
                new Retention.Candidate("a-1", Instant.parse("2026-11-25T01:00:00Z"), "source A", false),
                new Retention.Candidate("a-2", Instant.parse("2026-11-24T01:00:00Z"), "source A", false),
                new Retention.Candidate("b-1", Instant.parse("2026-11-24T13:00:00Z"), "source B", false),
                new Retention.Candidate("b-2", Instant.parse("2026-11-23T13:00:00Z"), "source B", false));
        List<Retention.Decision> plan = Retention.plan(in, new RetentionPolicy(1, 0, 0, 0, 0));
        assertEquals(List.of("a-1", "b-1"), plan.stream().filter(Retention.Decision::keep).map(d -> d.archive().name()).toList());
        assertEquals(List.of("newest archive", "last 1/1"), plan.get(2).reasons(), "the newest of the second group too");
    }

    @Test
    void aFutureDatedArchiveIsKeptNamedAndNeverCountedAsNewest() {
        List<Retention.Candidate> in = List.of(
                new Retention.Candidate("real-1", Instant.parse("2026-11-25T10:00:00Z")),
                new Retention.Candidate("real-2", Instant.parse("2026-11-25T09:00:00Z")),
                new Retention.Candidate("skewed", Instant.parse("2026-11-25T11:00:00Z"), "", true));
        List<Retention.Decision> plan = Retention.plan(in, new RetentionPolicy(1, 0, 0, 0, 0));
        assertEquals(List.of("real-1", "real-2", "skewed"), plan.stream().map(d -> d.archive().name()).toList());
        assertEquals(List.of("newest archive", "last 1/1"), plan.get(0).reasons());
        assertTrue(!plan.get(1).keep());
        assertTrue(plan.get(2).keep());
        assertEquals(List.of(Retention.FUTURE_DATED), plan.get(2).reasons());
    }

    @Test
    void theStoredTimeBoundsTheClaimedOne() {
        Instant stored = Instant.parse("2026-11-25T10:00:00Z");
        Instant now = Instant.parse("2026-11-26T00:00:00Z");
        assertEquals(Instant.parse("2026-11-25T09:00:00Z"), ArchiveTime.proven(Instant.parse("2026-11-25T09:00:00Z"), stored));
        assertEquals(stored, ArchiveTime.proven(Instant.parse("2026-11-25T10:05:00Z"), stored), "a little skew is bounded, not trusted");
        assertTrue(!ArchiveTime.futureDated(Instant.parse("2026-11-25T10:09:59Z"), stored, now), "within 10 minutes of skew");
        assertTrue(ArchiveTime.futureDated(Instant.parse("2026-11-25T10:10:01Z"), stored, now));
        assertTrue(ArchiveTime.futureDated(Instant.parse("2099-01-01T00:00:00Z"), Instant.parse("2099-01-01T00:00:00Z"), now),
                "a stored time in the future (a touched file) proves nothing either");
    }
}

package io.pivotctl.backups;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Decides which archives a policy keeps, as restic's {@code forget --group-by} does: each group (one history: a
 * source cluster and selection) is decided on its own. Inside a group archives are walked newest first; each rule
 * keeps an archive when it falls in a calendar bucket (hour, day, ISO week, month, in UTC) that rule has not kept one
 * for yet, until the rule has kept N. The newest archive of every group is always kept. A future-dated archive
 * ({@link ArchiveTime}) is never counted as newest and never deleted by a rule: it is kept and named, for a person to
 * judge. A pure function of its input.
 */
public final class Retention {

    /** An archive to decide on: {@code time} is its proven time, {@code group} its history. */
    public record Candidate(String name, Instant time, String group, boolean futureDated) {

        /** One history, not future-dated. */
        public Candidate(String name, Instant time) {
            this(name, time, "", false);
        }
    }

    /** The decision for one archive, with every rule that keeps it. */
    public record Decision(Candidate archive, boolean keep, List<String> reasons) {
        public Decision {
            reasons = List.copyOf(reasons);
        }
    }

    /** What a future-dated archive is kept for. */
    public static final String FUTURE_DATED = "future-dated: created later than it was stored, so never counted as newest and never"
            + " deleted by a rule (check the exporting machine's clock; delete it by hand if it is wrong)";

    private record Rule(String label, int count, Function<ZonedDateTime, String> bucket) {
    }

    private Retention() {
    }

    /** Decisions group by group (groups in name order), each group newest first, its future-dated archives last. */
    public static List<Decision> plan(List<Candidate> archives, RetentionPolicy policy) {
        Map<String, List<Candidate>> groups = new TreeMap<>();
        archives.forEach(c -> groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c));
        List<Decision> out = new ArrayList<>();
        for (List<Candidate> group : groups.values()) {
            List<Candidate> dated = new ArrayList<>(group.stream().filter(c -> !c.futureDated()).toList());
            dated.sort(Comparator.comparing(Candidate::time).reversed().thenComparing(Candidate::name));
            out.addAll(planGroup(dated, policy));
            group.stream().filter(Candidate::futureDated).sorted(Comparator.comparing(Candidate::name))
                    .forEach(c -> out.add(new Decision(c, true, List.of(FUTURE_DATED))));
        }
        return out;
    }

    /** One history, sorted newest first. */
    private static List<Decision> planGroup(List<Candidate> sorted, RetentionPolicy policy) {
        List<Rule> rules = List.of(
                new Rule("last", policy.last(), t -> null),
                new Rule("hourly", policy.hourly(), t -> String.format("%sT%02d", t.toLocalDate(), t.getHour())),
                new Rule("daily", policy.daily(), t -> t.toLocalDate().toString()),
                new Rule("weekly", policy.weekly(), t -> String.format("%d-W%02d", t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))),
                new Rule("monthly", policy.monthly(), t -> String.format("%d-%02d", t.getYear(), t.getMonthValue())));
        int[] left = rules.stream().mapToInt(Rule::count).toArray();
        String[] lastBucket = new String[rules.size()];
        List<Decision> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            Candidate c = sorted.get(i);
            ZonedDateTime t = c.time().atZone(ZoneOffset.UTC);
            List<String> reasons = new ArrayList<>();
            if (i == 0) {
                reasons.add("newest archive");
            }
            for (int r = 0; r < rules.size(); r++) {
                if (left[r] == 0) {
                    continue;
                }
                String bucket = rules.get(r).bucket().apply(t);
                if (bucket == null) { // keep-last: every archive counts
                    reasons.add("last " + (rules.get(r).count() - left[r] + 1) + "/" + rules.get(r).count());
                    left[r]--;
                } else if (!bucket.equals(lastBucket[r])) {
                    reasons.add(rules.get(r).label() + " " + bucket);
                    lastBucket[r] = bucket;
                    left[r]--;
                }
            }
            out.add(new Decision(c, !reasons.isEmpty(), reasons));
        }
        return out;
    }
}

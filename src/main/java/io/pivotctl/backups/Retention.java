package io.pivotctl.backups;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Decides which archives a policy keeps, as restic's {@code forget} does: archives are walked newest first; each
 * rule keeps an archive when it falls in a calendar bucket (hour, day, ISO week, month, in UTC) that rule has not
 * kept one for yet, until the rule has kept N. The newest archive is always kept. A pure function of its input.
 */
public final class Retention {

    /** An archive to decide on. */
    public record Candidate(String name, Instant createdAt) {
    }

    /** The decision for one archive, with every rule that keeps it. */
    public record Decision(Candidate archive, boolean keep, List<String> reasons) {
        public Decision {
            reasons = List.copyOf(reasons);
        }
    }

    private record Rule(String label, int count, Function<ZonedDateTime, String> bucket) {
    }

    private Retention() {
    }

    /** Decisions newest first. */
    public static List<Decision> plan(List<Candidate> archives, RetentionPolicy policy) {
        List<Candidate> sorted = new ArrayList<>(archives);
        sorted.sort(Comparator.comparing(Candidate::createdAt).reversed().thenComparing(Candidate::name));
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
            ZonedDateTime t = c.createdAt().atZone(ZoneOffset.UTC);
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

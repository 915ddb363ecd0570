package io.pivotctl.bench;

import io.pivotctl.bench.BenchReport.FleetRun;
import io.pivotctl.bench.BenchReport.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 20's bar for one fleet size, computed from the measured rows: every command that writes or reads the signed
 * archive ({@link #ROWS}) peaks under {@code limitMb} MB RSS at -Xmx256m. {@code failing} names each row at or over
 * the limit, or not measured (no peak RSS, or no such row): a row not measured cannot count as under the limit.
 */
record RssLimit(int hosts, int limitMb, boolean underLimit, String highestRow, Long highestMb, List<String> failing) {

    /** Issue 20: "complete with peak RSS under 450 MB". */
    static final int ISSUE_20_MB = 450;
    /** The rows issue 20 names: the signed export, its validate and import, and the two ways of listing it. */
    static final List<String> ROWS = List.of("export-signed", "export-signed-s3", "validate-signed", "import", "backups-list", "backups-list-s3",
            "inspect-s3");

    RssLimit {
        failing = List.copyOf(failing);
    }

    static RssLimit of(FleetRun f, int limitMb) {
        List<String> failing = new ArrayList<>();
        Row highest = null;
        for (String key : ROWS) {
            Row r = f.rows().stream().filter(x -> x.key().equals(key)).findFirst().orElse(null);
            if (r == null || r.peakRssKb() == null) {
                failing.add(key + " not measured");
                continue;
            }
            if (r.peakRssKb() >= limitMb * 1024L) {
                failing.add(key + " " + r.peakRssKb() / 1024 + " MB");
            }
            if (highest == null || r.peakRssKb() > highest.peakRssKb()) {
                highest = r;
            }
        }
        return new RssLimit(f.hosts(), limitMb, failing.isEmpty(), highest == null ? null : highest.key(),
                highest == null ? null : highest.peakRssKb() / 1024, failing);
    }

    /** The statement the report prints, true or false as measured. */
    String sentence() {
        String rows = String.join(", ", ROWS);
        if (underLimit) {
            return String.format(Locale.ROOT, "%d hosts: every issue-20 row (%s) stayed under %d MB peak RSS: yes (highest %s, %d MB)", hosts, rows,
                    limitMb, highestRow, highestMb);
        }
        return String.format(Locale.ROOT, "%d hosts: every issue-20 row (%s) stayed under %d MB peak RSS: NO (%s)", hosts, rows, limitMb,
                String.join(", ", failing));
    }
}

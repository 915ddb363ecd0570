package io.pivotctl.bench;

import io.pivotctl.bench.BenchReport.FleetRun;
import io.pivotctl.bench.BenchReport.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Client CPU of the current jar against a base jar measured in the same run, on the same servers and fleet (issue 23):
 * pivotctl's user+sys CPU seconds per 1,000 objects, per command, and the change in percent (negative: the current jar
 * spends less).
 */
record CpuVsBase(int hosts, String command, double baseCpuPer1000, double currentCpuPer1000, double changePercent) {

    /** Each current row and the base row it is compared with. */
    static final Map<String, String> PAIRS = pairs();

    private static Map<String, String> pairs() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("export", "base-export");
        m.put("import", "base-import");
        m.put("verify", "base-verify");
        return java.util.Collections.unmodifiableMap(m);
    }

    static CpuVsBase of(int hosts, String command, double base, double current) {
        return new CpuVsBase(hosts, command, base, current, 100 * (current - base) / base);
    }

    /** Every pair of {@code f} whose two rows both have a CPU figure; empty when no base jar ran. */
    static List<CpuVsBase> of(FleetRun f) {
        List<CpuVsBase> out = new ArrayList<>();
        PAIRS.forEach((current, base) -> {
            Optional<Row> c = find(f, current);
            Optional<Row> b = find(f, base);
            if (c.isPresent() && b.isPresent() && c.get().cpuSecondsPer1000Objects() != null && b.get().cpuSecondsPer1000Objects() != null) {
                out.add(of(f.hosts(), current, b.get().cpuSecondsPer1000Objects(), c.get().cpuSecondsPer1000Objects()));
            }
        });
        return out;
    }

    private static Optional<Row> find(FleetRun f, String key) {
        return f.rows().stream().filter(r -> r.key().equals(key)).findFirst();
    }

    String markdownRow() {
        return String.format(Locale.ROOT, "| %d | %s | %.2f | %.2f | %+.1f%% |", hosts, command, baseCpuPer1000, currentCpuPer1000, changePercent);
    }
}

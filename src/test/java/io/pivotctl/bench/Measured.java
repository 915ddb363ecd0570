package io.pivotctl.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One timed command: wall seconds, plus what its stderr says. Peak RSS comes from {@code /usr/bin/time -v}; the request
 * count from pivotctl's {@code -v} summary line (contract: {@code api requests: <TOTAL> (...)}, the last such line
 * wins). Either is null when its line is absent (no /usr/bin/time, or a pivotctl that does not count requests yet).
 */
record Measured(double seconds, Long peakRssKb, Long apiRequests, Double cpuSeconds) {

    /** A baseline the harness timed itself: no child process, so no RSS, request count or CPU of pivotctl's. */
    static Measured wall(double seconds) {
        return new Measured(seconds, null, null, null);
    }

    static final Pattern PEAK_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
    /** /usr/bin/time -v's user and system CPU seconds of the child: what pivotctl took from the cores it shares with the server. */
    static final Pattern CPU = Pattern.compile("(?:User|System) time \\(seconds\\): ([0-9.]+)");
    static final Pattern API_REQUESTS = Pattern.compile("api requests: (\\d+)");

    /** What stderr says, read line by line: with -v a 5,000-host import writes hundreds of thousands of lines. */
    record StderrFacts(Long peakRssKb, Long apiRequests, Double cpuSeconds, String tail) {

        static final int TAIL_LINES = 20;

        static StderrFacts read(Reader stderr) throws IOException {
            Long rss = null;
            Long requests = null;
            Double cpu = null;
            Deque<String> tail = new ArrayDeque<>();
            BufferedReader in = new BufferedReader(stderr);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Matcher m = PEAK_RSS.matcher(line);
                if (m.find()) {
                    rss = Long.valueOf(m.group(1));
                }
                m = CPU.matcher(line);
                if (m.find()) {
                    cpu = (cpu == null ? 0 : cpu) + Double.parseDouble(m.group(1));
                }
                m = API_REQUESTS.matcher(line);
                if (m.find()) {
                    requests = Long.valueOf(m.group(1));
                }
                if (line.startsWith("\t")) {
                    continue; // /usr/bin/time -v's report (tab-indented): the tail is for pivotctl's own last words
                }
                tail.addLast(line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
            return new StderrFacts(rss, requests, cpu, String.join("\n", tail));
        }
    }
}

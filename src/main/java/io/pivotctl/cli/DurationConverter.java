package io.pivotctl.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** kubectl-style durations: "10m", "90s", "1h30m", or "0". */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern FORMAT = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    @Override
    public Duration convert(String value) {
        if ("0".equals(value)) {
            return Duration.ZERO;
        }
        Matcher m = FORMAT.matcher(value == null ? "" : value);
        if (value == null || value.isEmpty() || !m.matches()) {
            throw new CommandLine.TypeConversionException("wants a duration such as 10m, 90s, 1h30m or 0");
        }
        return Duration.ofHours(part(m, 1)).plusMinutes(part(m, 2)).plusSeconds(part(m, 3));
    }

    private static long part(Matcher m, int group) {
        return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
    }
}

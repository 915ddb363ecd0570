package io.pivotctl.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Every duration option reads the same way: kubectl's "90s", "10m", "1h30m", plus days ("2d"), milliseconds
 * ("500ms"), a bare number of seconds ("30", "0") and ISO-8601 ("PT10M"). A bad value is a usage error that
 * does not echo it (it may be something else typed in the wrong place).
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern UNITS = Pattern.compile("(?:(\\d{1,9})d)?(?:(\\d{1,9})h)?(?:(\\d{1,9})m)?(?:(\\d{1,9})s)?(?:(\\d{1,9})ms)?");
    private static final Pattern SECONDS = Pattern.compile("\\d{1,9}");

    @Override
    public Duration convert(String value) {
        String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (SECONDS.matcher(text).matches()) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        Matcher m = UNITS.matcher(text);
        if (!text.isEmpty() && m.matches()) {
            return Duration.ofDays(part(m, 1)).plusHours(part(m, 2)).plusMinutes(part(m, 3)).plusSeconds(part(m, 4)).plusMillis(part(m, 5));
        }
        if (text.startsWith("p")) {
            try {
                Duration d = Duration.parse(text.toUpperCase(Locale.ROOT));
                if (!d.isNegative()) {
                    return d;
                }
            } catch (DateTimeParseException e) {
                // the message below names every accepted form
            }
        }
        throw new CommandLine.TypeConversionException("wants a duration such as 90s, 10m, 1h30m or 2d");
    }

    private static long part(Matcher m, int group) {
        return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
    }
}

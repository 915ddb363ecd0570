package io.pivotctl.backups;

import io.pivotctl.PivotctlException;

/** restic-style keep rules: the last N archives, and the newest archive of each of the last N hours/days/weeks/months. */
public record RetentionPolicy(int last, int hourly, int daily, int weekly, int monthly) {

    public RetentionPolicy {
        if (last < 0 || hourly < 0 || daily < 0 || weekly < 0 || monthly < 0) {
            throw PivotctlException.usage("--keep-* values must be 0 or more");
        }
        if (last + hourly + daily + weekly + monthly == 0) {
            throw PivotctlException.usage("this policy keeps nothing: give at least one of --keep-last, --keep-hourly, --keep-daily,"
                    + " --keep-weekly, --keep-monthly");
        }
    }
}

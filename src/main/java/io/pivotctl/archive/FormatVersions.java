package io.pivotctl.archive;

import io.pivotctl.PivotctlException;

/**
 * The rules of format versions (formats/pivot-archive-v1.md section 7): a reader of 1.N reads every 1.M archive with
 * M <= N; what each minor version added is required from archives that claim it.
 */
final class FormatVersions {

    /** The first minor version with summary.json and signatures over the manifest's SHA-256. */
    static final int SUMMARY_MINOR = 1;

    private FormatVersions() {
    }

    /** The minor number of "MAJOR.MINOR"; 0 when there is none or it is not a number (the schema check reports that). */
    static int minor(String version) {
        if (version == null) {
            return 0;
        }
        int dot = version.indexOf('.');
        try {
            return dot < 0 ? 0 : Integer.parseInt(version.substring(dot + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static boolean requiresSummary(String version) {
        return minor(version) >= SUMMARY_MINOR;
    }

    /** The refusal of an archive of {@code version} (1.1 or later) whose first entry is not its summary. */
    static PivotctlException missingSummary(String version) {
        return PivotctlException.invalid("archive of format " + ArchiveValidator.q(version) + " has no summary.json before its manifest:"
                + " it was changed or not written by pivotctl");
    }
}

package io.pivotctl.restore;

/** One way {@code pivotctl import} runs; {@link ImportService} picks it from the request's mode. */
interface ImportMode {

    /** Refuses, before the target is contacted, an archive this mode cannot work with (nothing changed). */
    void checkArchive();

    /** Runs against the connected target; the caller stamps the summary with the time taken. */
    ImportSummary run(ImportTarget target);
}

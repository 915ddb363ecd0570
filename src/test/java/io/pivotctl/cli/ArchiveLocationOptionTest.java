package io.pivotctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pivotctl.testing.Cli;
import org.junit.jupiter.api.Test;

/** An s3:// location is checked while parsing: a usage error (exit 2) in one line that never echoes a signed URL. */
class ArchiveLocationOptionTest {

    @Test
    void aPrefixWhereAnArchiveIsExpectedIsAUsageError() {
        Cli.Result r = Cli.run("export", "s3://bucket/prefix/", "--recipient", "age1x");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("error: Invalid value for positional parameter at index 0 (ARCHIVE): 's3://bucket/prefix/' names a bucket or prefix,"
                + " not an archive: give s3://BUCKET/KEY (e.g. .../backup.tar.gz)", r.err().lines().findFirst().orElseThrow());
    }

    @Test
    void theOldSpellingIsCheckedTheSameWay() {
        Cli.Result r = Cli.run("export", "-o", "s3://bucket/prefix/", "--recipient", "age1x");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("error: Invalid value for option '--output': 's3://bucket/prefix/' names a bucket or prefix, not an archive:"
                + " give s3://BUCKET/KEY (e.g. .../backup.tar.gz)", r.err().lines().filter(l -> l.startsWith("error:")).findFirst().orElseThrow());
    }

    @Test
    void aSignedUrlIsRefusedWithoutBeingEchoed() {
        Cli.Result r = Cli.run("inspect", "s3://bucket/a.tar.gz?X-Amz-Signature=abcdef0123456789");
        assertEquals(2, r.exitCode(), r.toString());
        assertFalse(r.err().contains("abcdef0123456789"), r.err());
        assertEquals("error: Invalid value for positional parameter at index 0 (ARCHIVE): an s3:// location takes no query string or user part;"
                + " credentials come from the AWS environment", r.err().lines().findFirst().orElseThrow());
    }
}

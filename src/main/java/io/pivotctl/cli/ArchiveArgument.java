package io.pivotctl.cli;

import io.pivotctl.storage.ArchiveLocation;
import picocli.CommandLine.Parameters;

/** The ARCHIVE a command reads: one declaration, one description, for every command that takes one. */
final class ArchiveArgument {

    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "The archive: a file (.tar.gz/.tgz compressed, .tar plain) or s3://BUCKET/KEY.")
    ArchiveLocation location;
}

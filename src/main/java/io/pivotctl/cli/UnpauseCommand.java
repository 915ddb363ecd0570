package io.pivotctl.cli;

import io.pivotctl.storage.ArchiveLocation;
import io.pivotctl.release.UnpauseResult;
import io.pivotctl.release.UnpauseService;
import io.pivotctl.validate.LoadedArchive;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "unpause", mixinStandardHelpOptions = true,
        description = {
            "Abort a pivot: on the SOURCE, undo exactly what export --pause paused, as the",
            "archive's manifest records it: spec.paused on Clusters that still carry",
            "pivotctl's marker pivotctl.io/paused-by, the annotation",
            "baremetalhost.metal3.io/paused=pivotctl on hosts. A pause set by CAPM3",
            "(metal3.io/capm3) or a person, or set again after an earlier unpause, is never",
            "touched. Idempotent; prints what it changed. No key needed. Afterwards",
            "release-source --yes with this archive is refused: export --pause again.",
            ""
        })
final class UnpauseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "The archive: a file or s3://BUCKET/KEY.")
    ArchiveLocation archive;

    @Mixin
    KubeOptions kube;

    @Mixin
    KeyOptions keyOptions;

    @Override
    public Integer call() {
        Console console = new Console(spec, false);
        LoadedArchive loaded = keyOptions.load(archive, console);
        UnpauseResult r = new UnpauseService().run(loaded, kube.target(console));
        for (UnpauseResult.Item i : r.items()) {
            String what = switch (i.outcome()) {
                case UNPAUSED -> "unpaused";
                case ALREADY_UNPAUSED -> "already unpaused";
                case GONE -> "gone";
                case LEFT_ALONE -> "LEFT ALONE";
            };
            console.result(String.format("%-17s %-60s %s", what, i.object(), i.detail()));
        }
        console.result("UNPAUSED on " + r.source() + ": " + r.count(UnpauseResult.Outcome.UNPAUSED) + " changed, "
                + r.count(UnpauseResult.Outcome.ALREADY_UNPAUSED) + " already unpaused, " + r.count(UnpauseResult.Outcome.LEFT_ALONE)
                + " left alone, " + r.count(UnpauseResult.Outcome.GONE) + " gone");
        return 0;
    }
}

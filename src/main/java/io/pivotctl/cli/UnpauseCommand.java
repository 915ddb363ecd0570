package io.pivotctl.cli;

import io.pivotctl.release.UnpauseResult;
import io.pivotctl.release.UnpauseService;
import java.util.Map;
import io.pivotctl.vocabulary.Metal3;
import io.pivotctl.vocabulary.PivotctlMarks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "unpause", mixinStandardHelpOptions = true,
        description = {
            "Abort a pivot: on the SOURCE, undo exactly what export --pause paused, as the",
            "archive's manifest records it: spec.paused on Clusters that still carry",
            "pivotctl's marker " + PivotctlMarks.PAUSED_BY + ", the annotation",
            Metal3.HOST_PAUSED + "=" + PivotctlMarks.PAUSED_BY_PIVOTCTL + " on hosts. A pause set by CAPM3",
            "(metal3.io/capm3) or a person, or set again after an earlier unpause, is never",
            "touched. Idempotent; prints what it changed. No key needed. Afterwards",
            "release-source --yes with this archive is refused: export --pause again.",
            ""
        })
final class UnpauseCommand extends PrintingCommand {

    @Mixin
    ArchiveInput archive;

    @Mixin
    KubeOptions kube;

    @Override
    int run(Console console) {
        UnpauseResult r = new UnpauseService().run(archive.load(console), kube.target(console));
        format.print(console, () -> json(r), () -> printTable(console, r));
        return 0;
    }

    private static Map<String, Object> json(UnpauseResult r) {
        return OutputFormat.fields("archiveId", r.archiveId(), "source", r.source(), "unpaused", r.count(UnpauseResult.Outcome.UNPAUSED),
                "alreadyUnpaused", r.count(UnpauseResult.Outcome.ALREADY_UNPAUSED), "leftAlone", r.count(UnpauseResult.Outcome.LEFT_ALONE),
                "gone", r.count(UnpauseResult.Outcome.GONE), "items", r.items());
    }

    private static void printTable(Console console, UnpauseResult r) {
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
    }
}

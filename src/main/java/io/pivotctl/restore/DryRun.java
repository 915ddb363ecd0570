package io.pivotctl.restore;

import java.util.Set;

/**
 * {@code import --dry-run}: the checks an import makes before it writes (the leases ConfigMap; preflight, whose creates
 * the server runs as dry runs) and the plan they give. Nothing is written, no journal is kept.
 */
final class DryRun implements ImportMode {

    private final ImportJob job;

    DryRun(ImportJob job) {
        this.job = job;
    }

    @Override
    public void checkArchive() {
        job.requireKeyForSecrets();
    }

    @Override
    public ImportSummary run(ImportTarget target) {
        LeasesRestore.toWrite(target.api(), job); // refuses, as the import would, a leases ConfigMap with other content
        PreflightResult plan = null;
        if (job.req().writesObjects()) {
            plan = new Preflight(target.api(), target.discovery(), job.req().onConflict()).require(job.archive(), Set.of(), null, job.progress());
            Preflight.report(plan, job.progress());
        }
        return ImportSummary.dryRun(job.archiveId(), plan);
    }
}

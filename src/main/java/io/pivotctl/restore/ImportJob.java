package io.pivotctl.restore;

import io.pivotctl.PivotctlException;
import io.pivotctl.archive.Manifest;
import io.pivotctl.validate.LoadedArchive;
import java.util.Set;
import java.util.TreeSet;

/** What {@code pivotctl import} was asked to do, with which archive, and where it reports progress: the same for every mode. */
record ImportJob(ImportRequest req, LoadedArchive archive, ImportProgress progress) {

    String archiveId() {
        return archive.manifest().archiveId();
    }

    /** The namespaces an import of this archive may write into: the archived objects' and the leases ConfigMap's. */
    Set<String> namespacesWritten() {
        Set<String> out = new TreeSet<>();
        archive.objects().forEach(o -> {
            if (!o.id().namespace().isEmpty()) {
                out.add(o.id().namespace());
            }
        });
        out.add(req.leases().namespace());
        return out;
    }

    /** Writing objects needs the key to the archive's encrypted Secrets: refused before connecting (exit 2) without one. */
    void requireKeyForSecrets() {
        Manifest manifest = archive.manifest();
        if (req.writesObjects() && !archive.secretsDecrypted() && !manifest.secrets().isEmpty()) {
            throw PivotctlException.usage("the archive holds " + manifest.secrets().size()
                    + " encrypted Secrets: pass --identity FILE or --passphrase-file FILE to import them");
        }
    }

    /** {@code --only leases} of an archive without leases has nothing to do (exit 3). */
    void requireLeasesForOnlyLeases() {
        if (req.only() == ImportRequest.Scope.LEASES && archive.leases().isEmpty()) {
            throw PivotctlException.invalid("the archive holds no dnsmasq leases (export was run without a leases source)");
        }
    }
}

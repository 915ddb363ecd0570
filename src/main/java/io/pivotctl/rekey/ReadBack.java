package io.pivotctl.rekey;

import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchiveLimits;
import io.pivotctl.archive.Digests;
import io.pivotctl.archive.Manifest;
import io.pivotctl.crypto.ManifestSigner;
import io.pivotctl.validate.ArchiveValidation;
import io.pivotctl.validate.LoadedArchive;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rekeyed archive as a reader finds it: valid, the manifest the one written, its signature verifying with the
 * signing key's public half, and every Secret opening with the self-check identity to exactly the plaintext the old
 * file held (compared by SHA-256, never kept).
 */
final class ReadBack {

    private final RekeyRequest req;
    private final SecretSpool spool;

    ReadBack(RekeyRequest req, SecretSpool spool) {
        this.req = req;
        this.spool = spool;
    }

    void check(Manifest written) {
        Set<String> opened = ConcurrentHashMap.newKeySet();
        LoadedArchive back = ArchiveValidation.validateWritten(req.target(), (path, ciphertext) -> {
            byte[] plaintext = req.newKeys().selfCheck().open(path, ciphertext);
            SecretSpool.Slot slot = spool.slot(path);
            if (slot == null || !Digests.sha256(plaintext).equals(slot.plaintextSha256())) {
                throw PivotctlException.invalid("entry '" + path + "' does not decrypt to the Secret the source held");
            }
            opened.add(path);
            return plaintext;
        }, req.signKey().map(ManifestSigner::publicOf), ArchiveLimits.DEFAULT);
        List<String> problems = new java.util.ArrayList<>(back.report().errors());
        if (!back.manifest().equals(written)) {
            problems.add("the manifest read back is not the one written");
        }
        if (opened.size() != spool.size()) {
            problems.add(opened.size() + " of " + spool.size() + " Secrets opened with the new keys");
        }
        if (!problems.isEmpty()) {
            throw new PivotctlException(Outcome.FAILED, "the rekeyed archive " + req.target() + " failed its read-back check: " + problems.size()
                    + " problem(s)", problems);
        }
    }
}

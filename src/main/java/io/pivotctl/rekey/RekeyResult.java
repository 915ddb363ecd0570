package io.pivotctl.rekey;

import io.pivotctl.archive.Manifest;

/**
 * What a rekey wrote: the archive, how many Secrets were re-encrypted and how many entries were kept byte for byte,
 * the rekey the manifest now records (recipients before and after: public keys, no secret), and whether it is signed.
 */
public record RekeyResult(String source, String target, String archiveId, int secretsRekeyed, int entriesKept, Manifest.Rekey rekey,
        boolean signed) {
}

package io.pivotctl.cli;

import io.pivotctl.PivotctlException;
import io.pivotctl.crypto.Passphrases;

/** What rekey and backups rekey both check before anything is read. */
final class Rekeying {

    private Rekeying() {
    }

    /** The current key is needed to open the Secrets: an identity, a passphrase file, or PIVOTCTL_PASSPHRASE. */
    static void requireOldKey(KeyOptions keys) {
        boolean given = keys.decryption != null || System.getenv(Passphrases.ENV) != null;
        if (!given) {
            throw PivotctlException.usage("rekey needs the current key: --identity FILE, or --passphrase-file FILE (or "
                    + Passphrases.ENV + ") for a passphrase-mode archive");
        }
    }
}

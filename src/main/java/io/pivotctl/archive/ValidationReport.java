package io.pivotctl.archive;

import java.util.List;
import java.util.Optional;

/** Every problem found in an archive (errors make it invalid; warnings do not), and its manifest when it parsed. */
public record ValidationReport(List<String> errors, List<String> warnings, Optional<Manifest> manifest, int secretsDecrypted) {

    public ValidationReport {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean valid() {
        return errors.isEmpty();
    }
}

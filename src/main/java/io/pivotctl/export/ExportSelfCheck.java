package io.pivotctl.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.Json;
import io.pivotctl.ObjectDiff;
import io.pivotctl.PivotctlException;
import io.pivotctl.crypto.SecretOpener;
import io.pivotctl.graph.ObjectId;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads back every object entry an archive is about to get, as import will read it, and compares it with
 * what the server returned (Secrets after decryption with the export's own check identity). A backup that
 * cannot be restored exactly must never be written: any difference fails the export, naming the object and
 * the field, before a byte reaches the file or the bucket. Each entry is checked once, right when its bytes are
 * made (the object is at hand then); those bytes are the bytes written, and the writer refuses an entry whose bytes
 * differ from those it digested. Messages name paths, never values.
 */
final class ExportSelfCheck {

    private final SecretOpener checkOpener;

    ExportSelfCheck(SecretOpener checkOpener) {
        this.checkOpener = checkOpener;
    }

    /** The fields in which {@code stored} (an entry's bytes) does not read back as {@code want}; empty when it does. */
    List<String> differences(JsonNode want, byte[] stored, boolean secret) {
        byte[] plain;
        try {
            plain = secret ? checkOpener.open(ObjectId.of(want).toString(), stored) : stored;
        } catch (PivotctlException e) {
            return List.of("its encrypted entry does not decrypt");
        }
        try {
            JsonNode back;
            try {
                back = Json.YAML.readTree(plain);
            } catch (IOException e) {
                return List.of("its entry is not valid YAML");
            }
            List<String> diffs = ObjectDiff.exactDifferences(Json.canonical(want), back, "");
            return diffs.stream().map(d -> d.startsWith(".") ? d.substring(1) : d).toList();
        } finally {
            if (secret) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /** Fails on the first object (in archive order) whose entry did not read back as the server returned it. */
    static void check(Collection<PackedObject> objects) {
        Optional<PackedObject> first = objects.stream().filter(p -> !p.readBack().isEmpty()).min(Comparator.comparing(PackedObject::entryPath));
        if (first.isPresent()) {
            throw failure(first.get().id(), first.get().readBack());
        }
    }

    private static PivotctlException failure(ObjectId id, List<String> diffs) {
        String more = diffs.size() > 3 ? " (and " + (diffs.size() - 3) + " more fields)" : "";
        return PivotctlException.failed("export self-check: " + id + " does not read back as the server returned it: "
                + String.join("; ", diffs.subList(0, Math.min(3, diffs.size()))) + more
                + ". No archive was written; please report this as a pivotctl bug");
    }
}

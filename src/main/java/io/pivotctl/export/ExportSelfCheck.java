package io.pivotctl.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.Json;
import io.pivotctl.ObjectDiff;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchiveReader;
import io.pivotctl.crypto.SecretOpener;
import io.pivotctl.graph.ObjectId;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads back every object entry of a just-written archive, as import will read it, and compares it with
 * what the server returned (Secrets after decryption with the export's own check identity). A backup
 * that cannot be restored exactly must never be written: any difference fails the export, naming the
 * object and the field, before the archive is renamed into place. Messages name paths, never values.
 */
final class ExportSelfCheck {

    private final Map<String, Expected> expected = new HashMap<>();
    private final SecretOpener checkOpener;

    private record Expected(ObjectId id, JsonNode object, boolean secret) {
    }

    ExportSelfCheck(SecretOpener checkOpener) {
        this.checkOpener = checkOpener;
    }

    /** The object as the server returned it (bookkeeping stripped), expected at {@code entryPath}. */
    void expect(String entryPath, JsonNode object, boolean secret) {
        expected.put(entryPath, new Expected(ObjectId.of(object), object, secret));
    }

    void check(Path archive) {
        Map<String, Expected> pending = new HashMap<>(expected);
        try (BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
                InputStream in = ArchiveReader.isGzip(raw) ? new GZIPInputStream(raw, 1 << 16) : raw;
                TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name())) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Expected want = pending.remove(entry.getName());
                if (want != null) {
                    compare(want, tar.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw PivotctlException.failed("export self-check could not read back the archive it wrote: " + e.getMessage()
                    + "; no archive was written");
        }
        if (!pending.isEmpty()) {
            Expected missing = pending.values().iterator().next();
            throw failure(missing.id(), List.of("its entry is missing from the archive"), pending.size());
        }
    }

    private void compare(Expected want, byte[] stored) {
        byte[] plain;
        try {
            plain = want.secret() ? checkOpener.open(want.id().toString(), stored) : stored;
        } catch (PivotctlException e) {
            throw failure(want.id(), List.of("its encrypted entry does not decrypt"), 1);
        }
        try {
            JsonNode back;
            try {
                back = Json.YAML.readTree(plain);
            } catch (IOException e) {
                throw failure(want.id(), List.of("its entry is not valid YAML"), 1);
            }
            List<String> diffs = ObjectDiff.exactDifferences(Json.canonical(want.object()), back, "");
            if (!diffs.isEmpty()) {
                throw failure(want.id(), diffs.stream().map(d -> d.startsWith(".") ? d.substring(1) : d).toList(), 1);
            }
        } finally {
            if (want.secret()) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static PivotctlException failure(ObjectId id, List<String> diffs, int objects) {
        String more = diffs.size() > 3 ? " (and " + (diffs.size() - 3) + " more fields)" : "";
        String others = objects > 1 ? " (and " + (objects - 1) + " more objects)" : "";
        return PivotctlException.failed("export self-check: " + id + " does not read back as the server returned it: "
                + String.join("; ", diffs.subList(0, Math.min(3, diffs.size()))) + more + others
                + ". No archive was written; please report this as a pivotctl bug");
    }
}

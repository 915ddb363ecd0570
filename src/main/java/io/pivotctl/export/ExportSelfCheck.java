package io.pivotctl.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.Json;
import io.pivotctl.ObjectDiff;
import io.pivotctl.PivotctlException;
import io.pivotctl.archive.ArchiveWriter;
import io.pivotctl.crypto.SecretOpener;
import io.pivotctl.graph.ObjectId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads back every object entry an archive is about to get, as import will read it, and compares it with
 * what the server returned (Secrets after decryption with the export's own check identity). A backup that
 * cannot be restored exactly must never be written: any difference fails the export, naming the object and
 * the field, before a byte reaches the file or the bucket. The bytes checked are the bytes written: the
 * writer refuses an entry whose bytes differ from those it digested. Messages name paths, never values.
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

    void check(List<ArchiveWriter.Source> sources) {
        Map<String, ArchiveWriter.Source> byPath = new HashMap<>();
        sources.forEach(s -> byPath.put(s.entry().path(), s));
        Optional<PivotctlException> first = expected.entrySet().parallelStream().sorted(Map.Entry.comparingByKey())
                .map(e -> problem(e.getValue(), byPath.get(e.getKey()))).flatMap(Optional::stream).findFirst();
        if (first.isPresent()) {
            throw first.get();
        }
    }

    private Optional<PivotctlException> problem(Expected want, ArchiveWriter.Source source) {
        if (source == null) {
            return Optional.of(failure(want.id(), List.of("its entry is missing from the archive")));
        }
        byte[] stored;
        try {
            stored = source.content().bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] plain;
        try {
            plain = want.secret() ? checkOpener.open(want.id().toString(), stored) : stored;
        } catch (PivotctlException e) {
            return Optional.of(failure(want.id(), List.of("its encrypted entry does not decrypt")));
        }
        try {
            JsonNode back;
            try {
                back = Json.YAML.readTree(plain);
            } catch (IOException e) {
                return Optional.of(failure(want.id(), List.of("its entry is not valid YAML")));
            }
            List<String> diffs = ObjectDiff.exactDifferences(Json.canonical(want.object()), back, "");
            return diffs.isEmpty() ? Optional.empty() : Optional.of(failure(want.id(), diffs.stream().map(d -> d.startsWith(".") ? d.substring(1) : d).toList()));
        } finally {
            if (want.secret()) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static PivotctlException failure(ObjectId id, List<String> diffs) {
        String more = diffs.size() > 3 ? " (and " + (diffs.size() - 3) + " more fields)" : "";
        return PivotctlException.failed("export self-check: " + id + " does not read back as the server returned it: "
                + String.join("; ", diffs.subList(0, Math.min(3, diffs.size()))) + more
                + ". No archive was written; please report this as a pivotctl bug");
    }
}

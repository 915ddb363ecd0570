package io.pivotctl.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.pivotctl.Json;
import io.pivotctl.Outcome;
import io.pivotctl.PivotctlException;
import io.pivotctl.crypto.AgeIdentity;
import io.pivotctl.kube.KubeTarget;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.CrdSet;
import io.pivotctl.testing.Metal3Fleet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The export reads back what it wrote: a writer that changes a value fails the export, names the object and field, leaves no file. */
class ExportSelfCheckIT {

    static final String HOST = "self-check-node-0";

    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.one().withCrds(CrdSet.upstreamOrFixtures()).withFleet(fleetWithHexWwn());

    @TempDir
    static Path dir;

    static List<ObjectNode> fleetWithHexWwn() {
        List<ObjectNode> fleet = Metal3Fleet.of("metal3", List.of(new Metal3Fleet.ClusterSpec("self-check", 1, 0)), 0);
        for (ObjectNode o : fleet) {
            if (o.path("kind").asText().equals("BareMetalHost")) {
                ObjectNode disk = (ObjectNode) o.with("status").with("hardware").withArray("storage").get(0);
                disk.put("wwn", "0x50014ee2b4e2f1a5"); // Ironic's hex WWN: a number to a YAML reader when written plain
            }
        }
        return fleet;
    }

    static ExportRequest request(Path out) {
        return ExportRequest.of(new KubeTarget(servers.source().kubeconfig(), null, 4, 0), new io.pivotctl.storage.LocalArchive(out))
                .namespaces(List.of("metal3")).recipients(List.of(AgeIdentity.generate().recipient())).build();
    }

    /** The writer pivotctl had before its scalar rule: plain strings wherever Jackson thought them safe. */
    static Function<JsonNode, byte[]> plainScalarWriter() {
        ObjectMapper faulty = new ObjectMapper(YAMLFactory.builder().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).build());
        return o -> {
            try {
                return faulty.writeValueAsBytes(Json.canonical(o));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Test
    void aWriterThatChangesAValueFailsTheExportNamingObjectAndFieldAndLeavesNoFile() throws IOException {
        Path out = dir.resolve("faulty.tar.gz");
        PivotctlException e = assertThrows(PivotctlException.class, () -> new ExportService(plainScalarWriter()).export(request(out), ExportProgress.SILENT));
        assertEquals(Outcome.FAILED, e.outcome());
        assertTrue(e.getMessage().contains("metal3/" + HOST), e.getMessage());
        assertTrue(e.getMessage().contains("status.hardware.storage[0].wwn is text in the source, a number when read back"), e.getMessage());
        assertFalse(e.getMessage().contains("0x50014ee2b4e2f1a5"), "the message names fields, never values");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains("faulty")).toList(), "no archive and no temp file left");
        }
    }

    @Test
    void theRealWriterPassesTheSelfCheck() {
        Path out = dir.resolve("good.tar.gz");
        ExportSummary s = new ExportService().export(request(out), ExportProgress.SILENT);
        assertTrue(Files.isRegularFile(out));
        assertTrue(s.secretsEncrypted() > 0, "Secrets are read back after decryption too");
    }
}

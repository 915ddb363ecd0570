package io.pivotctl.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pivotctl.PivotctlException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A streamed manifest that is not a JSON object is refused in one line by both streamed readers (format check, schema check). */
class StreamedManifestShapeTest {

    private static ManifestCodec.Source of(String text) {
        return () -> new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anArrayIsNotAManifest() {
        for (String text : new String[] {"[{\"formatVersion\":\"1.0\"}]", "\"1.0\"", "42"}) {
            assertEquals("manifest.json is not a JSON object",
                    assertThrows(PivotctlException.class, () -> ManifestCodec.checkFormatVersion(of(text))).getMessage(), text);
            assertEquals("manifest.json is not a JSON object",
                    assertThrows(PivotctlException.class, () -> ManifestCodec.schemaProblems(of(text))).getMessage(), text);
        }
    }

    @Test
    void anObjectReachesTheVersionCheck() {
        assertEquals("manifest.json has no formatVersion: not a pivotctl archive",
                assertThrows(PivotctlException.class, () -> ManifestCodec.checkFormatVersion(of("{\"entries\":[]}"))).getMessage());
    }
}

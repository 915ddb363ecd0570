package io.pivotctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive's scalar rule: whatever string the server sent reads back as that string, in any YAML reader. */
class YamlScalarsTest {

    /** Strings real Metal3 sites carry that a YAML reader may take for something else. */
    static final List<String> AMBIGUOUS = List.of(
            "0x50014ee2b4e2f1a5", "0x5000c500a0b1c2d3", "0:0:0:0", "1:0:0:0", "52:54:00:12:34:56", "12:34:56", "190:20:30",
            "1.10", "2.10.0", "1e3", "1E3", "-1e-3", ".5", "1.", "012", "0o17", "0b101", "0777", "+12", "-0", "1_000", "1,000",
            "on", "On", "ON", "off", "yes", "Yes", "no", "NO", "y", "Y", "n", "N", "true", "True", "FALSE", "null", "Null", "NULL",
            "~", "", " ", "  leading", "trailing  ", ".inf", "-.inf", ".NaN", ".nan", "2026-11-25", "2026-11-25T21:49:10Z",
            "2001-12-14 21:59:43.10 -5", "=", "<<", "-", "--", "---", "...", "- item", "? key", ": v", "key: value", "a #b", "#c",
            "@at", "`tick", "!tag", "!!str", "&anchor", "*alias", "|", ">", "%YAML", "{a: 1}", "[1, 2]", "'single'", "\"double\"",
            "back\\slash", "multi\nline", "trailing newline\n", "\n", "\n\n", "tab\there", "\r\n", "cr\ronly", "nul\u0000byte",
            "bell\u0007", "del\u007f", "nel\u0085", "line\u2028sep", "bom\ufeff", "Grüße", "日本語", "emoji 🚀", "\u00a0nbsp",
            "{\"deleteAction\":\"delay\",\"force\":true}", "metal3://metal3/node-0/m3m-0", "0", "00", "1", "-1", "3.14159",
            "123456789012345678901234567890", "0.0.0.0", "fe80::1", "::", "2001:db8::1", "a".repeat(300) + " " + "b".repeat(300));

    @Test
    void knownAmbiguousStringsReadBackUnchanged() throws Exception {
        for (String s : AMBIGUOUS) {
            assertRoundTrip(s);
        }
    }

    @Test
    void generatedStringsReadBackUnchangedAsValuesAndKeys() throws Exception {
        Random random = new Random(20261125L);
        for (String s : generated(random, 5000)) {
            assertRoundTrip(s);
        }
    }

    @Test
    void numbersBooleansAndNullsStayTheirType() throws Exception {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("int", 42).put("long", 1L << 40).put("negative", -7).put("float", 1.5).put("bool", true).put("off", false).putNull("nothing");
        o.put("zero", 0);
        JsonNode back = Json.YAML.readTree(Json.YAML.writeValueAsBytes(o));
        assertEquals(o, back);
        assertTrue(back.get("int").isIntegralNumber());
        assertTrue(back.get("bool").isBoolean());
        assertTrue(back.get("nothing").isNull());
    }

    @Test
    void plainKeysAreOnlyThoseNoReaderCanMistake() {
        assertTrue(YamlScalars.plainSafe("metal3.io/BareMetalHost"));
        assertTrue(YamlScalars.plainSafe("cluster.x-k8s.io/cluster-name"));
        assertTrue(YamlScalars.plainSafe("wwn"));
        for (String s : List.of("0x1f", "on", "No", "012", "1e3", "12:34", "", "a b", "a:b", "null", "~", ".inf", "-x")) {
            assertFalse(YamlScalars.plainSafe(s), s);
        }
    }

    @Test
    void longValuesStayOnOneLineSoGrepFindsThem() throws Exception {
        String value = "x".repeat(200) + " " + "y".repeat(200);
        String yaml = new String(Json.YAML.writeValueAsBytes(Json.MAPPER.createObjectNode().put("k", value)), StandardCharsets.UTF_8);
        assertTrue(yaml.contains("\"" + value + "\""), yaml);
    }

    /** YAML 1.1 (PyYAML, the reader Debian's yq uses too) must read the same strings. */
    @Test
    void aYaml11ReaderReadsTheSameStrings(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(run(dir, "python3", "-c", "import yaml") == 0, "python3 with PyYAML not installed: YAML 1.1 reader check skipped");
        List<String> strings = new ArrayList<>();
        AMBIGUOUS.stream().filter(s -> s.indexOf('\u0000') < 0 && s.indexOf('\ufeff') < 0 && s.indexOf('\u0085') < 0 && s.indexOf('\u2028') < 0)
                .forEach(strings::add); // PyYAML refuses these code points in any style; other readers are checked in Java
        strings.addAll(generated(new Random(7L), 2000).stream().filter(s -> s.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\n' || c == '\t')).toList());
        ObjectNode doc = Json.MAPPER.createObjectNode();
        ArrayNode values = doc.putArray("values");
        ObjectNode keys = doc.putObject("keys");
        for (int i = 0; i < strings.size(); i++) {
            values.add(strings.get(i));
            keys.put(strings.get(i), i);
        }
        Path yaml = dir.resolve("in.yaml");
        Files.write(yaml, Json.YAML.writeValueAsBytes(doc));
        Path json = dir.resolve("out.json");
        int rc = run(dir, "python3", "-c", "import yaml,json,sys; json.dump(yaml.safe_load(open(sys.argv[1],encoding='utf-8')), open(sys.argv[2],'w'), ensure_ascii=False)",
                yaml.toString(), json.toString());
        assertEquals(0, rc, "PyYAML could not read our YAML");
        JsonNode back = Json.MAPPER.readTree(json.toFile());
        assertEquals(doc.get("values"), back.get("values"));
        assertEquals(doc.get("keys"), back.get("keys"));
    }

    private static void assertRoundTrip(String s) throws Exception {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("value", s);
        o.putObject("map").put(s, s);
        o.putArray("list").add(s);
        byte[] yaml = Json.YAML.writeValueAsBytes(o);
        JsonNode back = Json.YAML.readTree(yaml);
        assertEquals(o, back, () -> "string " + Json.toJson(s) + " came back changed from:\n" + new String(yaml, StandardCharsets.UTF_8));
    }

    static List<String> generated(Random random, int count) {
        String alphabet = "0123456789xXeE._-:+ #\n\t'\"\\/,[]{}&*!|>%@`?=~aAbBfFnNoOyYtTrRuUlLsS\u00e9\u4e2d";
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int len = random.nextInt(12);
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < len; j++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            out.add(b.toString());
        }
        return out;
    }

    private static int run(Path dir, String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("proc.log").toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}

package io.pivotctl.leases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pivotctl.Json;
import io.pivotctl.testing.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pivotctl leases patch}: the initContainer's own command, run with /bin/sh against temp directories,
 * writes a lease file our parser reads back whole; it never overwrites dnsmasq's newer file and tolerates a
 * missing ConfigMap. The committed sample patch is what the command prints.
 */
class DnsmasqLeasesPatchTest {

    @TempDir
    Path dir;

    @Test
    void theInitContainerCommandWritesALeaseFileOurParserReads() throws Exception {
        Path leasesDir = dir.resolve("leases");
        Files.createDirectories(leasesDir);
        Path configMapMount = dir.resolve("configmap");
        Files.createDirectories(configMapMount);
        byte[] sample = Files.readAllBytes(Path.of("samples/dnsmasq.leases"));
        Files.write(configMapMount.resolve("dnsmasq.leases"), sample);

        JsonNode init = initContainer(patch("--leases-dir", leasesDir.toString()));
        Process p = run(init, configMapMount);
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        Path written = leasesDir.resolve("dnsmasq.leases");
        LeaseFile parsed = LeaseFile.parse(Files.readAllBytes(written));
        LeaseFile original = LeaseFile.parse(sample);
        assertTrue(parsed.problems().isEmpty(), parsed.problems().toString());
        assertEquals(original.leases(), parsed.leases());
        assertTrue(parsed.count() >= 9, "every sample lease: " + parsed.count());
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(written)), "dnsmasq, whatever its user, rewrites it");
        assertFalse(Files.exists(leasesDir.resolve("dnsmasq.leases.tmp")));

        // the pod restarts: dnsmasq's own, newer file is kept
        Files.writeString(written, "1790000000 00:5c:52:00:00:01 172.22.0.77 newer *\n");
        Process again = run(init, configMapMount);
        assertEquals(0, again.waitFor());
        assertEquals(1, LeaseFile.parse(Files.readAllBytes(written)).count());
    }

    @Test
    void aMissingConfigMapLeavesDnsmasqToStartWithoutLeases() throws Exception {
        Path leasesDir = dir.resolve("leases");
        Files.createDirectories(leasesDir);
        Process p = run(initContainer(patch("--leases-dir", leasesDir.toString())), dir.resolve("no-configmap"));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("starts without leases"), out);
        assertFalse(Files.exists(leasesDir.resolve("dnsmasq.leases")));
    }

    @Test
    void theSamplePatchIsWhatTheCommandPrints() throws IOException {
        assertEquals(Files.readString(Path.of("samples/ironic/leases-patch.yaml")), patch(),
                "regenerate with: scripts/pivotctl leases patch > samples/ironic/leases-patch.yaml");
    }

    @Test
    void optionsShapeThePatchAndBadOnesAreUsageErrors() {
        JsonNode p = Json.MAPPER.valueToTree(yaml(patch("-n", "baremetal-operator-system", "--deployment", "ironic-x", "--container", "ironic-dnsmasq",
                "--leases-dir", "/data/dnsmasq/")));
        assertEquals("baremetal-operator-system", p.at("/metadata/namespace").asText());
        assertEquals("ironic-x", p.at("/metadata/name").asText());
        assertEquals("ironic-dnsmasq", p.at("/spec/template/spec/containers/0/name").asText());
        assertEquals("/data/dnsmasq", p.at("/spec/template/spec/containers/0/volumeMounts/0/mountPath").asText());
        assertEquals("dnsmasq-leases-configmap", p.at("/spec/template/spec/volumes/0/configMap/name").asText(),
                "the ConfigMap follows the Deployment's namespace");

        Cli.Result otherNs = Cli.run("leases", "patch", "-n", "ironic", "--configmap", "metal3/dnsmasq-leases-configmap");
        assertEquals(2, otherNs.exitCode(), otherNs.toString());
        assertTrue(otherNs.err().contains("only a ConfigMap of its own namespace"), otherNs.err());
        assertEquals("", otherNs.out());
        Cli.Result relative = Cli.run("leases", "patch", "--leases-dir", "dnsmasq");
        assertEquals(2, relative.exitCode(), relative.toString());
        assertEquals(1, relative.err().strip().lines().count(), relative.err());
    }

    private static String patch(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "leases";
        all[1] = "patch";
        System.arraycopy(args, 0, all, 2, args.length);
        Cli.Result r = Cli.run(all);
        assertEquals(0, r.exitCode(), r.toString());
        return r.out();
    }

    private static Object yaml(String text) {
        try {
            return Json.YAML.readValue(text, Object.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode initContainer(String patchYaml) {
        JsonNode p = Json.MAPPER.valueToTree(yaml(patchYaml));
        JsonNode init = p.at("/spec/template/spec/initContainers/0");
        assertEquals(DnsmasqLeasesPatch.INIT_CONTAINER, init.path("name").asText());
        return init;
    }

    /** Runs the container's command with its own environment; only the ConfigMap's mount point moves to a temp dir. */
    private static Process run(JsonNode init, Path configMapMount) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Json.MAPPER.convertValue(init.path("command"), String[].class));
        Map<String, String> env = new HashMap<>();
        init.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        assertTrue(env.get("LEASES_FROM").startsWith(DnsmasqLeasesPatch.CONFIGMAP_MOUNT + "/"));
        env.put("LEASES_FROM", configMapMount + env.get("LEASES_FROM").substring(DnsmasqLeasesPatch.CONFIGMAP_MOUNT.length()));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        return pb.start();
    }
}

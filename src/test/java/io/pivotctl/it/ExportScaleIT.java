package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.testing.ApiServersExtension;
import io.pivotctl.testing.Crds;
import io.pivotctl.testing.InventoryLoader;
import io.pivotctl.testing.Metal3Fleet;
import io.pivotctl.testing.TestApiServer;
import io.pivotctl.testing.TestKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export of a whole fleet in a small heap: for each N of {@code -Dpivotctl.exportScale=1000,5000} a fresh API server
 * gets a fleet of N hosts (about 13.3 objects per host), and the real jar exports it through scripts/pivotctl at
 * -Xmx256m under /usr/bin/time -v. Every object must be in the archive. Time, peak RSS and objects/s are printed and
 * appended to target/export-scale.txt; nothing is timed as an assertion. Loading 66,500 objects takes minutes, so it
 * runs on request only (build the jar first: mvn -q package -DskipTests). {@code -Dpivotctl.exportScale.compareJar=JAR}
 * also exports each fleet with another build first, on the same server (a before/after comparison; its failure is
 * reported, not asserted).
 */
@EnabledIfSystemProperty(named = "pivotctl.exportScale", matches = "[0-9, ]+")
class ExportScaleIT {

    /** The key and home; each fleet size gets a fresh server of its own, started in the test. */
    @RegisterExtension
    static final ApiServersExtension servers = ApiServersExtension.none();

    @TempDir
    static Path dir;

    @Test
    void exportsEachFleetSizeAtXmx256m() throws Exception {
        List<String> lines = new ArrayList<>();
        // a copy: other builds may replace target/pivotctl.jar while an export runs
        Path jar = Files.copy(Path.of("target/pivotctl.jar"), dir.resolve("pivotctl.jar"));
        for (String n : System.getProperty("pivotctl.exportScale").split(",")) {
            int hosts = Integer.parseInt(n.trim());
            try (TestApiServer s = TestApiServer.start()) {
                Crds.installPreferUpstream(s.client());
                List<ObjectNode> fleet = Metal3Fleet.fleet("metal3", hosts);
                int objects = fleet.size();
                InventoryLoader.load(s.kubeconfig(), fleet, 16);
                fleet = null; // the test JVM need not hold it while the export runs
                TestKey key = servers.key();
                String other = System.getProperty("pivotctl.exportScale.compareJar");
                if (other != null) {
                    // the same fleet on the same server, exported by another build (e.g. before a change): a fair comparison
                    lines.add(export(Path.of(other), "compared jar", s, key, hosts, objects, false));
                }
                lines.add(export(jar, "this build", s, key, hosts, objects, true));
            }
        }
        assertTrue(!lines.isEmpty());
    }

    private static String export(Path jar, String label, TestApiServer s, TestKey key, int hosts, int objects, boolean mustPass) throws Exception {
        Path archive = dir.resolve("fleet-" + hosts + ".tar.gz");
        Files.deleteIfExists(archive);
        List<String> cmd = List.of("/usr/bin/time", "-v", "env", "PIVOTCTL_JAR=" + jar, "PIVOTCTL_JAVA_OPTS=-Xmx256m", "scripts/pivotctl", "export", "-q",
                "--kubeconfig", s.kubeconfig().toString(), "-n", "metal3", "--recipient", key.recipient(), "-o", archive.toString());
        Path err = dir.resolve("err-" + hosts + ".txt");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.MINUTES), "export finished");
        double seconds = (System.nanoTime() - t0) / 1e9;
        String stderr = Files.readString(err);
        Matcher m = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)").matcher(stderr);
        long rssMb = m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
        String line;
        long entries = -1;
        if (p.exitValue() == 0) {
            Process tar = new ProcessBuilder("tar", "-tzf", archive.toString()).redirectErrorStream(true).start();
            entries = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("objects/") || l.startsWith("secrets/")).count();
            assertEquals(0, tar.waitFor());
            line = String.format("export N=%d (%s): %d objects listed, %d archived, %.1f s, %.0f objects/s, %.2f ms/object, peak RSS %d MB (-Xmx256m)",
                    hosts, label, objects, entries, seconds, objects / seconds, seconds * 1000 / objects, rssMb);
        } else {
            String why = stderr.lines().filter(l -> l.startsWith("error") || l.contains("OutOfMemoryError")).findFirst().orElse("exit " + p.exitValue());
            line = String.format("export N=%d (%s): FAILED after %.1f s, peak RSS %d MB (-Xmx256m): %s", hosts, label, seconds, rssMb, why);
        }
        System.out.println(line);
        Files.writeString(Path.of("target/export-scale.txt"), line + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        if (mustPass) {
            assertEquals(0, p.exitValue(), stderr);
            assertEquals(objects, entries, "every object of the fleet is in the archive");
        }
        return line;
    }
}

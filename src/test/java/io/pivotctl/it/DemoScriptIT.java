package io.pivotctl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pivotctl.testing.TestApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's main-job command, run as a newcomer would: scripts/demo.sh must end with PASS, releasing the source with
 * the garbage collector running there (its orphaning deletes finished, nothing of edge-b or the spare hosts gone).
 */
class DemoScriptIT {

    @Test
    void demoPivotsTheSamplesAndPasses() throws Exception {
        TestApiServer.requireBinaries();
        io.pivotctl.testing.ControllerManager.requireBinary();
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/demo.sh").redirectErrorStream(true);
        pb.environment().put("DEMO_SKIP_BUILD", "1"); // the jar and test classes were just built by this Maven run
        // and its test classpath is known: no second Maven run to compute it
        pb.environment().put("DEMO_CLASSPATH", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "demo took over 10 minutes");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("PASS"), out);
        assertFalse(out.contains("deprecated"), "the demo shows the current spellings: " + out);
        assertTrue(out.contains("EQUAL: 80 objects checked"), out);
        assertTrue(out.contains("matches no exported host"), "the stale lease is reported");
        assertTrue(out.contains("garbage collector and namespace controller running on both"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches(".*waiting for the garbage collector to finish the orphaning deletes: (\\d+) of \\1 gone.*")),
                "release-source waited until the garbage collector had finished its orphaning deletes:\n" + out);
        assertTrue(out.contains("edge-b and the spare hosts untouched"), out);
        assertTrue(Path.of("target/pivotctl.jar").toFile().exists());
    }
}

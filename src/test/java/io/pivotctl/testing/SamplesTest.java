package io.pivotctl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.leases.LeaseCrossCheck;
import io.pivotctl.leases.LeaseFile;
import io.pivotctl.leases.LeaseReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The committed samples/ are exactly what the generator writes, and they read back to the same inventory. */
class SamplesTest {

    static final Path SAMPLES = Path.of("samples");

    @Test
    void committedSamplesMatchTheGenerator() throws Exception {
        for (Map.Entry<String, String> e : Samples.files().entrySet()) {
            Path f = SAMPLES.resolve("metal3-management").resolve(e.getKey());
            assertTrue(Files.exists(f), f + " missing: regenerate with Samples.main");
            assertEquals(e.getValue(), Files.readString(f), f + " drifted from the generator: regenerate with Samples.main");
        }
        assertEquals(Samples.leases(), Files.readString(SAMPLES.resolve("dnsmasq.leases")));
    }

    @Test
    void samplesReadBackWithStatusAndOneStaleLease() throws Exception {
        List<ObjectNode> read = Samples.read(SAMPLES.resolve("metal3-management"));
        assertEquals(Samples.inventory().size(), read.size());
        Map<String, String> macs = new TreeMap<>();
        long provisioned = 0;
        for (ObjectNode o : read) {
            if ("BareMetalHost".equals(o.path("kind").asText())) {
                macs.put("metal3/" + o.at("/metadata/name").asText(), o.at("/spec/bootMACAddress").asText());
                provisioned += "provisioned".equals(o.at("/status/provisioning/state").asText()) ? 1 : 0;
            }
        }
        assertEquals(9, macs.size(), "7 machines + 2 spares");
        assertEquals(7, provisioned);
        LeaseReport r = LeaseCrossCheck.check(LeaseFile.parse(Files.readAllBytes(SAMPLES.resolve("dnsmasq.leases"))), macs);
        assertEquals(9, r.hostsWithLease().size());
        assertEquals(1, r.staleLeases().size());
        assertEquals("decommissioned-node-7", r.staleLeases().get(0).hostname());
    }
}

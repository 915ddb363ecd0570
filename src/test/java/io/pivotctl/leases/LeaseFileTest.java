package io.pivotctl.leases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaseFileTest {

    static LeaseFile parse(String text) {
        return LeaseFile.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesIpv4AndIpv6Leases() {
        LeaseFile f = parse("""
                1790000000 00:5c:52:31:3a:9c 172.22.0.10 node-0 01:00:5c:52:31:3a:9c
                0 00:5C:52:31:3A:9D 172.22.0.11 * *
                duid 00:01:00:01:2c:3f:5e:10:52:54:00:12:34:56
                1790000000 1234567 fd2e:6f44:5dd8:c956::10 node-0 00:03:00:01:00:5c:52:31:3a:9c
                """);
        assertEquals(List.of(), f.problems());
        assertEquals(3, f.count());
        assertEquals("00:01:00:01:2c:3f:5e:10:52:54:00:12:34:56", f.serverDuid());
        assertNull(f.leases().get(1).hostname());
        assertTrue(f.leases().get(2).ipv6());
        assertEquals(0, f.leases().get(1).expiry());
    }

    @Test
    void everyMalformedLineIsReportedWithItsNumber() {
        LeaseFile f = parse("""
                1790000000 00:5c:52:31:3a:9c 172.22.0.10 node-0 *
                1790000000 00:5c:52:31:3a:9c
                soon 00:5c:52:31:3a:9d 172.22.0.12 node-2 *
                1790000000 zz:5c:52:31:3a:9e 172.22.0.13 node-3 *
                1790000000 00:5c:52:31:3a:9f 172.22.0.300 node-4 *
                1790000000 00:5c:52:31:3a:a0 172.22.0.10 node-5 *
                1790000000 00:5C:52:31:3A:9C 172.22.0.16 node-6 *
                """);
        assertEquals(List.of(
                "line 2: expected 5 fields, found 2",
                "line 3: invalid expiry 'soon' (seconds since the epoch, 0 = never)",
                "line 4: invalid MAC address 'zz:5c:52:31:3a:9e'",
                "line 5: invalid IPv4 address '172.22.0.300'",
                "line 6: duplicate IP 172.22.0.10 (also on line 1)",
                "line 7: duplicate MAC 00:5C:52:31:3A:9C (also on line 1)"), f.problems().stream().map(LeaseProblem::toString).toList());
    }

    @Test
    void ipv6BeforeDuidAndSecondDuidAreProblems() {
        LeaseFile f = parse("0 1 fd00::1 * *\nduid 00:01\nduid 00:02\n");
        assertEquals(List.of("line 1: IPv6 lease before the duid line", "line 3: second duid line"),
                f.problems().stream().map(LeaseProblem::toString).toList());
    }

    @Test
    void crossCheckMatchesMacsCaseInsensitivelyAndFindsStaleLeases() {
        LeaseFile f = parse("0 00:5C:52:31:3A:9C 172.22.0.10 a *\n0 06-00:5c:52:31:3a:9d 172.22.0.11 b *\n0 00:5c:52:00:00:99 172.22.0.99 gone *\n");
        LeaseReport r = LeaseCrossCheck.check(f, Map.of("metal3/a", "00:5c:52:31:3a:9c", "metal3/b", "00:5c:52:31:3a:9d", "metal3/c", "00:5c:52:31:3a:9e"));
        assertEquals(List.of("metal3/a", "metal3/b"), r.hostsWithLease());
        assertEquals(List.of("metal3/c"), r.hostsWithoutLease());
        assertEquals(1, r.staleLeases().size());
        assertEquals("172.22.0.99", r.staleLeases().get(0).ip());
    }

    @Test
    void emptyAndOversizedFiles() {
        assertEquals(0, parse("").count());
        assertEquals(List.of(), parse("\n\n").problems());
        LeaseFile big = LeaseFile.parse(new byte[LeaseFile.MAX_BYTES + 1]);
        assertEquals(1, big.problems().size());
        assertTrue(big.problems().get(0).message().contains("larger than"));
    }
}

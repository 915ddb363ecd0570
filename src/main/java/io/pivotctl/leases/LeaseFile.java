package io.pivotctl.leases;

import io.pivotctl.Printable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed dnsmasq lease file (format: docs/dnsmasq-leases.md). Parsing never throws: malformed lines and conflicts (duplicate IPs or
 * MACs) become {@link LeaseProblem}s with line numbers, so a report can list all of them.
 */
public record LeaseFile(List<Lease> leases, String serverDuid, List<LeaseProblem> problems) {

    public static final int MAX_BYTES = 16 << 20;
    private static final Pattern MAC = Pattern.compile("^([0-9a-fA-F]{1,2}-)?([0-9a-fA-F]{2}[:-]){5,19}[0-9a-fA-F]{2}$");
    private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:.]{2,45}$");

    public LeaseFile {
        leases = List.copyOf(leases);
        problems = List.copyOf(problems);
    }

    public int count() {
        return leases.size();
    }

    public static LeaseFile parse(byte[] raw) {
        List<LeaseProblem> problems = new ArrayList<>();
        if (raw.length > MAX_BYTES) {
            return new LeaseFile(List.of(), null, List.of(new LeaseProblem(0, "lease file is larger than " + MAX_BYTES + " bytes")));
        }
        List<Lease> leases = new ArrayList<>();
        String duid = null;
        String[] lines = new String(raw, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f[0].equals("duid")) {
                if (f.length != 2) {
                    problems.add(new LeaseProblem(lineNo, "duid line must have exactly one value"));
                } else if (duid != null) {
                    problems.add(new LeaseProblem(lineNo, "second duid line"));
                } else {
                    duid = f[1];
                }
                continue;
            }
            if (f.length != 5) {
                problems.add(new LeaseProblem(lineNo, "expected 5 fields, found " + f.length));
                continue;
            }
            long expiry;
            try {
                expiry = Long.parseLong(f[0]);
                if (expiry < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.add(new LeaseProblem(lineNo, "invalid expiry '" + Printable.of(f[0]) + "' (seconds since the epoch, 0 = never)"));
                continue;
            }
            boolean v6 = f[2].contains(":");
            if (v6) {
                if (duid == null) {
                    problems.add(new LeaseProblem(lineNo, "IPv6 lease before the duid line"));
                }
                if (!IPV6.matcher(f[2]).matches()) {
                    problems.add(new LeaseProblem(lineNo, "invalid IPv6 address '" + Printable.of(f[2]) + "'"));
                    continue;
                }
                if (!f[1].matches("\\d+")) {
                    problems.add(new LeaseProblem(lineNo, "invalid IAID '" + Printable.of(f[1]) + "'"));
                    continue;
                }
            } else {
                if (!MAC.matcher(f[1]).matches()) {
                    problems.add(new LeaseProblem(lineNo, "invalid MAC address '" + Printable.of(f[1]) + "'"));
                    continue;
                }
                if (!IPV4.matcher(f[2]).matches()) {
                    problems.add(new LeaseProblem(lineNo, "invalid IPv4 address '" + Printable.of(f[2]) + "'"));
                    continue;
                }
            }
            leases.add(new Lease(expiry, f[1], f[2], star(f[3]), star(f[4]), v6, lineNo));
        }
        duplicates(leases, problems);
        return new LeaseFile(leases, duid, problems);
    }

    private static void duplicates(List<Lease> leases, List<LeaseProblem> problems) {
        Map<String, Lease> byIp = new HashMap<>();
        Map<String, Lease> byMac = new HashMap<>();
        for (Lease l : leases) {
            Lease other = byIp.putIfAbsent(l.ip().toLowerCase(Locale.ROOT), l);
            if (other != null) {
                problems.add(new LeaseProblem(l.line(), "duplicate IP " + l.ip() + " (also on line " + other.line() + ")"));
            }
            if (!l.ipv6()) {
                Lease sameMac = byMac.putIfAbsent(l.normalizedMac(), l);
                if (sameMac != null) {
                    problems.add(new LeaseProblem(l.line(), "duplicate MAC " + l.macOrIaid() + " (also on line " + sameMac.line() + ")"));
                }
            }
        }
    }

    static String normalizeMac(String mac) {
        String m = mac.toLowerCase(Locale.ROOT).replace('-', ':');
        // a hardware-type prefix ("06-" for Ethernet-like types) precedes the address for non-Ethernet types
        if (m.length() > 3 && m.charAt(2) == ':' && m.split(":").length > 6) {
            m = m.substring(3);
        }
        return m;
    }

    private static String star(String s) {
        return "*".equals(s) ? null : s;
    }

}

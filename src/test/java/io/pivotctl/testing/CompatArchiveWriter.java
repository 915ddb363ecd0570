package io.pivotctl.testing;

import io.pivotctl.vocabulary.ClusterApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Test tooling, not a pivotctl command: writes the compatibility archives of one format version
 * (src/test/resources/archives/VERSION/) with a given pivotctl jar, by a real {@code export} from a real API server
 * loaded with {@link RealSite} (upstream CRDs, inspected hosts, BMC Secrets, kubeadm nested Secrets, a Machine being
 * deleted) and a dnsmasq lease file. Writes an unsigned archive ({@code -A}) and a signed one
 * ({@code -n metal3}), the age identity that opens both and the Ed25519 public key that verifies the
 * signed one; the signing private key is thrown away. Both are written with {@code --no-crds}: the upstream CRDs are
 * never copied into this repository, so a reader of these archives installs them from {@code ../shared/crds}. Usage:
 * {@code CompatArchiveWriter <pivotctl.jar> <output-dir>}; archives are written once per format version and never
 * again (CompatibilityArchivesIT reads every one on every run).
 */
public final class CompatArchiveWriter {

    private CompatArchiveWriter() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: CompatArchiveWriter <pivotctl.jar> <output-dir>");
            System.exit(2);
        }
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path out = Files.createDirectories(Path.of(args[1]));
        Path work = Files.createTempDirectory("pivotctl-compat-");
        try (TestApiServer source = TestApiServer.start()) {
            Crds.installUpstream(source.client());
            source.client().apiextensions().v1().customResourceDefinitions().withName("globalinclusterippools.ipam.cluster.x-k8s.io")
                    .edit(c -> { c.getMetadata().getLabels().put(ClusterApi.MOVE_HIERARCHY, ""); return c; });
            InventoryLoader.load(source.kubeconfig(), RealSite.objects(), 8);
            var machines = source.client().genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Machine").inNamespace(RealSite.NS);
            machines.withName(RealSite.DELETING_MACHINE).edit(m -> { m.getMetadata().getFinalizers().add(RealSite.DELETING_FINALIZER); return m; });
            machines.withName(RealSite.DELETING_MACHINE).delete();

            Path leases = work.resolve("dnsmasq.leases");
            Files.writeString(leases, leases(), StandardCharsets.US_ASCII);
            Path identity = out.resolve("identity.txt");
            String recipient = lastLine(run(jar, work, "keygen", "-o", identity.toString()));
            run(jar, work, "keygen", "--signing", "-o", work.resolve("sign.key").toString());
            Files.copy(work.resolve("sign.key.pub"), out.resolve("signing.pub"));
            String kubeconfig = source.kubeconfig().toString();
            run(jar, work, "export", "--kubeconfig", kubeconfig, "-A", "-o", out.resolve("unsigned.tar.gz").toString(),
                    "--recipient", recipient, "--leases-file", leases.toString(), "--no-crds", "-q");
            run(jar, work, "export", "--kubeconfig", kubeconfig, "-n", RealSite.NS, "-o", out.resolve("signed.tar.gz").toString(), "--recipient", recipient, "--leases-file", leases.toString(),
                    "--no-crds", "--sign-key", work.resolve("sign.key").toString(), "-q");
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One lease per host boot MAC of {@link RealSite} (6 hosts), on the provisioning network, plus a stale one. */
    static String leases() {
        StringBuilder b = new StringBuilder();
        for (int n = 0; n < 6; n++) {
            b.append(String.format(Locale.ROOT, "0 %s 172.22.0.%d node-%d 01:%s%n", RealSite.allDigitMac(n), 10 + n, n, RealSite.allDigitMac(n)));
        }
        b.append("1767225600 52:54:00:99:00:01 172.22.0.250 * *\n");
        return b.toString();
    }

    private static String run(Path jar, Path work, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Path stdout = work.resolve("stdout.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PIVOTCTL_HOME", work.resolve("home").toString());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("pivotctl " + args[0] + " failed");
        }
        return Files.readString(stdout);
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1).trim();
    }
}

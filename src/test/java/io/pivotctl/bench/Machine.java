package io.pivotctl.bench;

import io.pivotctl.testing.TestApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine a bench ran on, named as the README table needs it: CPU model, cores, RAM, Java, API server. */
final class Machine {

    private Machine() {
    }

    static Map<String, Object> describe() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
        m.put("cpu", cpuinfo.stream().filter(l -> l.startsWith("model name")).findFirst().orElse("unknown").replaceFirst("model name\\s*:\\s*", ""));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
        m.put("ramGiB", Math.round(memKb / 1024.0 / 1024.0 * 10) / 10.0);
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.vendor") + ")");
        m.put("apiserver", "kube-apiserver " + TestApiServer.K8S_VERSION + " + etcd on the same machine");
        return m;
    }
}

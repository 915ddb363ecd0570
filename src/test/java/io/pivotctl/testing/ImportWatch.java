package io.pivotctl.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Watches an import from outside: its journals under a pivotctl home, and what the target holds. */
public final class ImportWatch {

    private ImportWatch() {
    }

    /** The journal files under {@code home}/journal. */
    public static List<Path> journals(Path home) {
        Path d = home.resolve("journal");
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates recorded so far in the journals under {@code home}. */
    public static int journaledCreates(Path home) {
        int n = 0;
        for (Path j : journals(home)) {
            try {
                n += (int) Files.readAllLines(j).stream().filter(l -> l.contains("\"op\":\"create\"")).count();
            } catch (IOException e) {
                // being written or just removed: count again
            }
        }
        return n;
    }

    /** Polls until the running import has journaled {@code creates} creates; returns how many it saw. */
    public static int awaitCreates(Path home, int creates, BooleanSupplier stillRunning) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && stillRunning.getAsBoolean()) {
            int n = journaledCreates(home);
            if (n >= creates) {
                return n;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the import never reached " + creates + " creates (it ended or stalled first)");
    }

    /** Objects per kind in {@code namespace}: every custom kind, Secrets and ConfigMaps; kinds with none are left out. */
    public static Map<String, Integer> perKind(TestApiServer s, String namespace) {
        Map<String, Integer> out = new TreeMap<>();
        for (CustomResourceDefinition crd : s.client().apiextensions().v1().customResourceDefinitions().list().getItems()) {
            String v = crd.getSpec().getVersions().stream().filter(x -> x.getServed() && x.getStorage()).findFirst().orElseThrow().getName();
            int n = s.client().genericKubernetesResources(crd.getSpec().getGroup() + "/" + v, crd.getSpec().getNames().getKind())
                    .inNamespace(namespace).list().getItems().size();
            if (n > 0) {
                out.put(crd.getSpec().getNames().getKind(), n);
            }
        }
        int secrets = s.client().secrets().inNamespace(namespace).list().getItems().size();
        if (secrets > 0) {
            out.put("Secret", secrets);
        }
        int configMaps = s.client().configMaps().inNamespace(namespace).list().getItems().size();
        if (configMaps > 0) {
            out.put("ConfigMap", configMaps);
        }
        return out;
    }
}

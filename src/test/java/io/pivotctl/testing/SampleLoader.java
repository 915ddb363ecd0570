package io.pivotctl.testing;

import java.nio.file.Path;
import java.util.Map;

/**
 * Demo and test code, not a pivotctl command: loads samples/metal3-management into a cluster with status.
 * Usage: {@code SampleLoader <kubeconfig> <inventory-dir>}.
 */
public final class SampleLoader {

    private SampleLoader() {
    }

    public static Map<String, Integer> load(Path kubeconfig, Path inventoryDir) {
        return InventoryLoader.load(kubeconfig, Samples.read(inventoryDir), 8);
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: SampleLoader <kubeconfig> <inventory-dir>");
            System.exit(2);
        }
        Map<String, Integer> counts = load(Path.of(args[0]), Path.of(args[1]));
        counts.forEach((kind, n) -> System.out.printf("  loaded %-45s %4d%n", kind, n));
        System.exit(0);
    }
}

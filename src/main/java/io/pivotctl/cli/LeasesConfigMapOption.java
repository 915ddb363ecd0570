package io.pivotctl.cli;

import io.pivotctl.kube.NamespacedName;
import io.pivotctl.leases.DnsmasqLeasesPatch;
import picocli.CommandLine.Option;

/** {@code --leases-configmap NS/NAME}: where the dnsmasq leases live on the target (import writes it, verify reads it). */
final class LeasesConfigMapOption {

    /** Where import writes the leases and {@code leases patch} reads them, unless told otherwise. */
    static final String DEFAULT = DnsmasqLeasesPatch.DEFAULT_NAMESPACE + "/" + DnsmasqLeasesPatch.DEFAULT_CONFIGMAP;

    @Option(names = "--leases-configmap", paramLabel = "NS/NAME", defaultValue = DEFAULT, converter = NamespacedNameConverter.class,
            description = "The dnsmasq leases ConfigMap on the target (default: ${DEFAULT-VALUE}).")
    NamespacedName configMap;
}

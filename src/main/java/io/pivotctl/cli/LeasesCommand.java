package io.pivotctl.cli;

import io.pivotctl.kube.NamespacedName;

import io.pivotctl.PivotctlException;
import io.pivotctl.leases.DnsmasqLeasesPatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "leases", mixinStandardHelpOptions = true, subcommands = LeasesCommand.Patch.class,
        description = "Wire the imported dnsmasq leases into Ironic's dnsmasq.")
final class LeasesCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "patch", mixinStandardHelpOptions = true,
            description = {
                "Print a kustomize strategic-merge patch for the Ironic Deployment: an",
                "initContainer copies the ConfigMap key dnsmasq.leases (written by pivotctl",
                "import) into an emptyDir mounted at --leases-dir in the dnsmasq container,",
                "before dnsmasq starts. dnsmasq rewrites its lease file, so the ConfigMap",
                "itself cannot be mounted there.",
                "Use: pivotctl leases patch > leases-patch.yaml, then list that file under",
                "patches: in the kustomization.yaml of the Ironic deployment.",
                ""
            })
    static final class Patch implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = DnsmasqLeasesPatch.DEFAULT_NAMESPACE,
                description = "Namespace of the Ironic Deployment (default: ${DEFAULT-VALUE}).")
        String namespace;

        @Option(names = "--deployment", paramLabel = "NAME", defaultValue = "ironic", description = "The Ironic Deployment (default: ${DEFAULT-VALUE}).")
        String deployment;

        @Option(names = "--container", paramLabel = "NAME", defaultValue = "dnsmasq",
                description = "The dnsmasq container in it (default: ${DEFAULT-VALUE}).")
        String container;

        @Option(names = "--leases-dir", paramLabel = "DIR", defaultValue = "/var/lib/dnsmasq",
                description = "Directory of dnsmasq.leases in that container (default: ${DEFAULT-VALUE}; current ironic images use /data/dnsmasq).")
        String leasesDir;

        @Option(names = "--configmap", paramLabel = "NS/NAME", converter = NamespacedNameConverter.class,
                description = "The leases ConfigMap, in the Deployment's namespace (default: NS/" + DnsmasqLeasesPatch.DEFAULT_CONFIGMAP
                        + ", as pivotctl import writes it).")
        NamespacedName configMap;

        @Option(names = "--image", paramLabel = "IMAGE", defaultValue = "quay.io/metal3-io/ironic",
                description = "Image of the initContainer, any with /bin/sh, cp, mv (default: ${DEFAULT-VALUE}, already on Ironic's node).")
        String image;

        @Override
        public Integer call() {
            String cmNamespace = namespace;
            String cmName = DnsmasqLeasesPatch.DEFAULT_CONFIGMAP;
            if (configMap != null) {
                cmNamespace = configMap.namespace();
                cmName = configMap.name();
            }
            String yaml = new DnsmasqLeasesPatch(namespace, deployment, container, leasesDir, cmNamespace, cmName, image).toYaml();
            spec.commandLine().getOut().print(yaml);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}

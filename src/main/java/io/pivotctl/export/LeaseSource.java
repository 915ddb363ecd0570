package io.pivotctl.export;

import io.pivotctl.leases.DnsmasqLeasesPatch;
import java.nio.file.Path;

/** Where export takes the dnsmasq lease file from. */
public sealed interface LeaseSource {

    /** No leases collected. */
    record None() implements LeaseSource {
    }

    /** A lease file on local disk. */
    record File(Path path) implements LeaseSource {
    }

    /** The key {@link DnsmasqLeasesPatch#KEY} of a ConfigMap (for example one written by an earlier import). */
    record ConfigMap(String namespace, String name) implements LeaseSource {
    }

    /** {@code cat} in a dnsmasq container; null fields mean auto-detect. */
    record Pod(String namespace, String pod, String container) implements LeaseSource {
    }
}

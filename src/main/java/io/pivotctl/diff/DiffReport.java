package io.pivotctl.diff;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What {@code diff A B} found. {@code secretsByContent}: Secrets were compared by the SHA-256 of their decrypted
 * content (both archives opened with the identity); otherwise by their manifest digest and description, and
 * {@code secretsUndecided} counts those whose ciphertext differs while their description does not (age encrypts
 * afresh on every export: without the key nobody can tell whether the value changed).
 */
public record DiffReport(String archiveA, String archiveB, List<ObjectChange> objects, List<HostChange> hosts, List<LeaseChange> leases,
        boolean secretsByContent, int secretsUndecided) {

    public DiffReport {
        objects = List.copyOf(objects);
        hosts = List.copyOf(hosts);
        leases = List.copyOf(leases);
    }

    @JsonProperty("equal")
    public boolean equal() {
        return objects.isEmpty() && hosts.isEmpty() && leases.isEmpty();
    }
}

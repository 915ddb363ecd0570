package io.pivotctl.export;

import io.pivotctl.kube.KubeTarget;
import io.pivotctl.storage.ArchiveLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What to export and how. {@code passphrase} is held only as long as the export runs; its
 * {@link #toString()} never shows it.
 */
public record ExportRequest(
        KubeTarget target,
        ArchiveLocation output,
        List<String> namespaces,
        boolean allNamespaces,
        List<String> clusters,
        List<String> recipients,
        char[] passphrase,
        LeaseSource leases,
        boolean pause,
        boolean includeCrds,
        Optional<Path> signKey,
        int scryptWorkFactor,
        Duration blockMoveTimeout) {

    public static final int DEFAULT_SCRYPT_WORK_FACTOR = 18;

    /** With the default --block-move-timeout. */
    public ExportRequest(KubeTarget target, ArchiveLocation output, List<String> namespaces, boolean allNamespaces, List<String> clusters,
            List<String> recipients, char[] passphrase, LeaseSource leases, boolean pause, boolean includeCrds, Optional<Path> signKey,
            int scryptWorkFactor) {
        this(target, output, namespaces, allNamespaces, clusters, recipients, passphrase, leases, pause, includeCrds, signKey, scryptWorkFactor,
                Pauser.DEFAULT_BLOCK_MOVE_TIMEOUT);
    }

    public ExportRequest {
        namespaces = List.copyOf(namespaces);
        clusters = List.copyOf(clusters);
        recipients = List.copyOf(recipients);
    }

    @Override
    public String toString() {
        return "ExportRequest[output=" + output + ", namespaces=" + namespaces + ", allNamespaces=" + allNamespaces
                + ", clusters=" + clusters + ", recipients=" + recipients.size() + ", passphrase=" + (passphrase != null ? "set" : "none")
                + ", leases=" + leases + ", pause=" + pause + ", blockMoveTimeout=" + blockMoveTimeout + "]";
    }
}

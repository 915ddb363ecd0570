package io.pivotctl.export;

import io.pivotctl.kube.KubeTarget;
import io.pivotctl.storage.ArchiveLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What to export and how. Built by name: {@code ExportRequest.of(target, output).namespaces(...).build()}.
 * {@code passphrase} is held only as long as the export runs; its {@link #toString()} never shows it.
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

    public ExportRequest {
        namespaces = List.copyOf(namespaces);
        clusters = List.copyOf(clusters);
        recipients = List.copyOf(recipients);
    }

    public static Builder of(KubeTarget target, ArchiveLocation output) {
        return new Builder(target, output);
    }

    @Override
    public String toString() {
        return "ExportRequest[output=" + output + ", namespaces=" + namespaces + ", allNamespaces=" + allNamespaces
                + ", clusters=" + clusters + ", recipients=" + recipients.size() + ", passphrase=" + (passphrase != null ? "set" : "none")
                + ", leases=" + leases + ", pause=" + pause + ", blockMoveTimeout=" + blockMoveTimeout + "]";
    }

    /**
     * Defaults: the kubeconfig's namespace (no namespaces, not -A), every Cluster, no recipients and no passphrase, no
     * leases, no pause, CRDs included, unsigned, the default scrypt work factor and --block-move-timeout.
     */
    public static final class Builder {
        private final KubeTarget target;
        private final ArchiveLocation output;
        private List<String> namespaces = List.of();
        private boolean allNamespaces;
        private List<String> clusters = List.of();
        private List<String> recipients = List.of();
        private char[] passphrase;
        private LeaseSource leases = new LeaseSource.None();
        private boolean pause;
        private boolean includeCrds = true;
        private Optional<Path> signKey = Optional.empty();
        private int scryptWorkFactor = DEFAULT_SCRYPT_WORK_FACTOR;
        private Duration blockMoveTimeout = Pauser.DEFAULT_BLOCK_MOVE_TIMEOUT;

        private Builder(KubeTarget target, ArchiveLocation output) {
            this.target = target;
            this.output = output;
        }

        /** -n: the namespaces to read (none: the kubeconfig's). */
        public Builder namespaces(List<String> value) {
            this.namespaces = value;
            return this;
        }

        /** -A: every namespace. */
        public Builder allNamespaces(boolean value) {
            this.allNamespaces = value;
            return this;
        }

        /** --cluster: only what these Clusters reach (none: everything). */
        public Builder clusters(List<String> value) {
            this.clusters = value;
            return this;
        }

        /** The age recipients Secrets are encrypted to. */
        public Builder recipients(List<String> value) {
            this.recipients = value;
            return this;
        }

        /** The passphrase Secrets are also encrypted with; null for none. The caller clears it after the export. */
        public Builder passphrase(char[] value) {
            this.passphrase = value;
            return this;
        }

        public Builder leases(LeaseSource value) {
            this.leases = value;
            return this;
        }

        /** --pause: pause the Clusters and hosts before reading them. */
        public Builder pause(boolean value) {
            this.pause = value;
            return this;
        }

        public Builder includeCrds(boolean value) {
            this.includeCrds = value;
            return this;
        }

        /** The Ed25519 key the manifest is signed with; null for an unsigned archive. */
        public Builder signKey(Path value) {
            this.signKey = Optional.ofNullable(value);
            return this;
        }

        public Builder scryptWorkFactor(int value) {
            this.scryptWorkFactor = value;
            return this;
        }

        public Builder blockMoveTimeout(Duration value) {
            this.blockMoveTimeout = value;
            return this;
        }

        public ExportRequest build() {
            return new ExportRequest(target, output, namespaces, allNamespaces, clusters, recipients, passphrase, leases, pause, includeCrds,
                    signKey, scryptWorkFactor, blockMoveTimeout);
        }
    }
}

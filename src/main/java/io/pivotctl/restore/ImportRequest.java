package io.pivotctl.restore;

import io.pivotctl.kube.KubeTarget;
import io.pivotctl.kube.NamespacedName;
import io.pivotctl.leases.DnsmasqLeasesPatch;
import java.util.EnumSet;
import java.util.Set;

/** What {@code pivotctl import} was asked to do. Built by name: {@code ImportRequest.to(target, archive).mode(...).build()}. */
public record ImportRequest(KubeTarget target, String archive, Mode mode, Handling handling, NamespacedName leases, Set<Flag> flags) {

    /** How the run treats failures, existing objects, and which part of the archive it imports. */
    public record Handling(OnFailure onFailure, ConflictPolicy onConflict, Scope only) {
    }

    public static final NamespacedName DEFAULT_LEASES = new NamespacedName(DnsmasqLeasesPatch.DEFAULT_NAMESPACE, DnsmasqLeasesPatch.DEFAULT_CONFIGMAP);

    /** import (default), --dry-run (preflight only), --resume (continue a kept journal), --rollback (undo a kept journal). */
    public enum Mode { IMPORT, DRY_RUN, RESUME, ROLLBACK }

    /** On failure or Ctrl-C: undo everything (default), or keep it with the journal for --resume (--no-rollback). */
    public enum OnFailure { ROLL_BACK, KEEP }

    /** {@code --only}: both (default, leases first), leases only, or objects only. */
    public enum Scope { ALL, LEASES, OBJECTS }

    /** The yes/no options. */
    public enum Flag { INSTALL_CRDS, KEEP_PAUSED, BMH_STATUS_ANNOTATION }

    public ImportRequest {
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    }

    public OnFailure onFailure() {
        return handling.onFailure();
    }

    public ConflictPolicy onConflict() {
        return handling.onConflict();
    }

    public Scope only() {
        return handling.only();
    }

    public boolean has(Flag flag) {
        return flags.contains(flag);
    }

    public boolean writesObjects() {
        return only() != Scope.LEASES;
    }

    public boolean writesLeases() {
        return only() != Scope.OBJECTS;
    }

    public static Builder to(KubeTarget target, String archive) {
        return new Builder(target, archive);
    }

    /** Defaults: import, roll back on failure, --on-conflict fail, everything, the default leases ConfigMap, no flags. */
    public static final class Builder {
        private final KubeTarget target;
        private final String archive;
        private Mode mode = Mode.IMPORT;
        private OnFailure onFailure = OnFailure.ROLL_BACK;
        private ConflictPolicy onConflict = ConflictPolicy.FAIL;
        private Scope only = Scope.ALL;
        private NamespacedName leases = DEFAULT_LEASES;
        private final Set<Flag> flags = EnumSet.noneOf(Flag.class);

        private Builder(KubeTarget target, String archive) {
            this.target = target;
            this.archive = archive;
        }

        public Builder mode(Mode value) {
            this.mode = value;
            return this;
        }

        public Builder onFailure(OnFailure value) {
            this.onFailure = value;
            return this;
        }

        public Builder onConflict(ConflictPolicy value) {
            this.onConflict = value;
            return this;
        }

        public Builder only(Scope value) {
            this.only = value;
            return this;
        }

        public Builder leases(NamespacedName value) {
            this.leases = value;
            return this;
        }

        public Builder flag(Flag flag, boolean on) {
            if (on) {
                flags.add(flag);
            }
            return this;
        }

        public ImportRequest build() {
            return new ImportRequest(target, archive, mode, new Handling(onFailure, onConflict, only), leases, flags);
        }
    }
}

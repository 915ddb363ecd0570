package io.pivotctl.kube;

/** A kind at one version of its API group ("" for core): the key under which discovery answers are kept. */
public record GroupVersionKind(String group, String version, String kind) {

    @Override
    public String toString() {
        return group + "/" + version + "/" + kind;
    }
}

package io.pivotctl.export;

/** The raw lease file as collected, and a description of where it came from (for the manifest and the user). */
record CollectedLeases(byte[] raw, String source) {

    @Override
    public String toString() {
        return "CollectedLeases[" + source + ", " + raw.length + " bytes]";
    }
}

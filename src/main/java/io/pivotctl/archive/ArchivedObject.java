package io.pivotctl.archive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.graph.ObjectId;

/**
 * One object read from an archive, with its manifest entry. For Secrets {@code object} is the
 * decrypted plaintext, so {@link #toString()} never prints it.
 */
public record ArchivedObject(Manifest.Entry entry, ObjectNode object) {

    public ObjectId id() {
        return EntryPaths.idOf(entry);
    }

    public boolean isSecret() {
        return Manifest.Entry.SECRET.equals(entry.role());
    }

    @Override
    public String toString() {
        return "ArchivedObject[" + entry.path() + "]";
    }
}

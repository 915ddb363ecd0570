package io.pivotctl.archive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pivotctl.Json;
import io.pivotctl.graph.ObjectId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * One object read from an archive, with its manifest entry. The body is held compactly (its YAML deflated in
 * memory) and parsed again on each {@link #object()} call, so a fleet's archive costs its compressed size: callers
 * get a fresh ObjectNode each time and may change it. For Secrets the body is the decrypted plaintext: it is never
 * written to disk, and {@link #toString()} never prints it. Cheap accessors ({@link #uid()},
 * {@link #hasOwnerReferences()}) answer what plans need of every object without parsing it.
 */
public final class ArchivedObject {

    /** Fixed heap cost of one instance beyond its body and uid (object header, fields, list slot). */
    static final int OVERHEAD = 64;

    private final Manifest.Entry entry;
    private final CompactBytes body;
    private final String uid;
    private final boolean hasOwnerReferences;

    private ArchivedObject(Manifest.Entry entry, CompactBytes body, String uid, boolean hasOwnerReferences) {
        this.entry = entry;
        this.body = body;
        this.uid = uid;
        this.hasOwnerReferences = hasOwnerReferences;
    }

    /**
     * An object parsed from {@code yaml} (the entry's content, or a Secret's plaintext), kept as those bytes deflated
     * against {@code dictionary} (text of its kind, shared).
     */
    static ArchivedObject of(Manifest.Entry entry, ObjectNode parsed, byte[] yaml, byte[] dictionary) {
        return new ArchivedObject(entry, CompactBytes.of(yaml, dictionary), parsed.path("metadata").path("uid").asText(""),
                parsed.path("metadata").has("ownerReferences"));
    }

    /** An object built in memory (tests, callers that already hold it): kept as its YAML. */
    public ArchivedObject(Manifest.Entry entry, ObjectNode object) {
        this(entry, CompactBytes.of(yaml(object)), object.path("metadata").path("uid").asText(""),
                object.path("metadata").has("ownerReferences"));
    }

    private static byte[] yaml(ObjectNode object) {
        try {
            return Json.YAML.writeValueAsBytes(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Manifest.Entry entry() {
        return entry;
    }

    /** The object, parsed now from the held bytes (Secrets decrypted); a new instance on every call. */
    public ObjectNode object() {
        byte[] yaml = body.bytes();
        try {
            return (ObjectNode) Json.YAML.readTree(yaml);
        } catch (IOException e) {
            // it parsed when the archive was read: only memory damage gets here, and the content is never echoed
            throw new IllegalStateException("archived object " + entry.path() + " no longer parses");
        } finally {
            if (isSecret()) {
                Arrays.fill(yaml, (byte) 0);
            }
        }
    }

    /** metadata.uid in the archive ("" when none). */
    public String uid() {
        return uid;
    }

    public boolean hasOwnerReferences() {
        return hasOwnerReferences;
    }

    public ObjectId id() {
        return EntryPaths.idOf(entry);
    }

    public boolean isSecret() {
        return Manifest.Entry.SECRET.equals(entry.role());
    }

    /** What this object holds on the heap (its compact body, uid and fixed cost), for the read budget. */
    public long heldBytes() {
        return body.heldBytes() + OVERHEAD + 40L + uid.length();
    }

    @Override
    public String toString() {
        return "ArchivedObject[" + entry.path() + "]";
    }
}

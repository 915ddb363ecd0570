package io.pivotctl.archive;

import com.fasterxml.jackson.core.JsonToken;
import io.pivotctl.Json;
import io.pivotctl.PivotctlException;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * The summary of an archive that has none (format 1.0), computed from its manifest as it streams past: the small
 * fields are read, every entry and left-out line is counted and dropped, the graph and Secrets are skipped unread, and
 * the bytes are digested. What it keeps is what a summary holds, within the format's limits; the manifest itself (110
 * MB at 5,000 hosts) is never held. Host states are unknown: they are in the hosts' objects.
 */
public final class LegacySummary {

    /** The scheme a 1.0 signature entry has: Ed25519 over the manifest's bytes. */
    public static final String BYTES_SIGNATURE = "ed25519";
    /** What one entry or left-out line may hold while it is counted. */
    static final long ELEMENT_BYTES = 1L << 20;

    private LegacySummary() {
    }

    /** What the manifest says, counted; {@link #summary} completes it once the caller knows whether a signature follows. */
    public record Counted(Summary.Header header, Summary.Contents contents, Summary.ManifestDigest digest) {
        public Summary summary(boolean signed) {
            return Summary.describe(header, contents, digest, signed ? BYTES_SIGNATURE : null);
        }
    }

    /** Reads the manifest in {@code manifestBytes} to its end; what is kept is charged to {@code held}. */
    public static Counted read(InputStream manifestBytes, HeldBudget held) {
        MessageDigest sha256 = Digests.sha256();
        CountingStream counted = new CountingStream(new DigestInputStream(manifestBytes, sha256));
        HeaderFields header = new HeaderFields();
        Summary.Tally tally = new Summary.Tally(held);
        try (UntrustedJson.Charging p = UntrustedJson.open(counted, ManifestCodec.DOCUMENT, held, true)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw PivotctlException.invalid("manifest.json is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                field(p, field, header, tally);
            }
            counted.transferTo(java.io.OutputStream.nullOutputStream()); // trailing bytes are digested too
        } catch (IOException | RuntimeException e) {
            PivotctlException limit = UntrustedJson.refusal(ManifestCodec.DOCUMENT, e);
            throw limit != null ? limit : PivotctlException.invalid("manifest.json is not valid JSON: " + ArchiveReader.oneLine(e));
        }
        Summary.Header h = header.done();
        ManifestCodec.checkFormatVersion(Json.MAPPER.createObjectNode().put("formatVersion", h.formatVersion()));
        return new Counted(h, tally.contents(false), new Summary.ManifestDigest(counted.count, Digests.hex(sha256)));
    }

    private static void field(UntrustedJson.Charging p, String field, HeaderFields header, Summary.Tally tally) throws IOException {
        switch (field) {
            case "formatVersion" -> header.formatVersion = text(p);
            case "archiveId" -> header.archiveId = text(p);
            case "createdAt" -> header.createdAt = text(p);
            case "tool" -> header.tool = p.readValueAs(Manifest.Tool.class);
            case "source" -> header.source = p.readValueAs(Manifest.Source.class);
            case "selection" -> header.selection = p.readValueAs(Manifest.Selection.class);
            case "encryption" -> header.encryption = p.readValueAs(Manifest.Encryption.class);
            case "leases" -> {
                Manifest.LeasesInfo leases = p.readValueAs(Manifest.LeasesInfo.class);
                tally.leases(leases == null ? null : leases.count());
            }
            case "entries" -> each(p, () -> tally.entry(p.readValueAs(Manifest.Entry.class)));
            case "leftOut" -> each(p, () -> tally.leftOut(p.readValueAs(Summary.LeftOutCount.class)));
            default -> p.skipChildren();
        }
    }

    /** A string value, or null (skipped) when the value is something else. */
    private static String text(UntrustedJson.Charging p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private interface Element {
        void read() throws IOException;
    }

    /** Each element of the array the parser is at, read alone and dropped: one element's charge at a time. */
    private static void each(UntrustedJson.Charging p, Element element) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            HeldBudget kept = p.chargeTo(new HeldBudget(ELEMENT_BYTES, HeldBudget.HELD_HEAP_SHARE * 2, "one element of manifest.json"));
            try {
                element.read();
            } finally {
                p.chargeTo(kept);
            }
        }
    }

    /** The header's fields as they come, in any order. */
    private static final class HeaderFields {
        String formatVersion;
        String archiveId;
        String createdAt;
        Manifest.Tool tool;
        Manifest.Source source;
        Manifest.Selection selection;
        Manifest.Encryption encryption;

        Summary.Header done() {
            if (formatVersion == null) {
                throw PivotctlException.invalid("manifest.json has no formatVersion: not a pivotctl archive");
            }
            return new Summary.Header(formatVersion, archiveId, createdAt, tool, source, selection, encryption);
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }

        @Override
        public void close() {
            // the caller's stream goes on
        }
    }
}

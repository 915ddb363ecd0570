package io.pivotctl.archive;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Bytes kept deflated in memory (never on disk), restored exactly on demand: how a read archive holds its object
 * bodies, so a fleet's archive costs its compressed size, not its parsed size. Objects are small and restored from
 * many threads, so one Deflater and one Inflater per thread are reused (each holds native zlib state).
 * {@link #toString()} never shows the content: for a Secret it is plaintext.
 */
public final class CompactBytes {

    /** Fixed cost of one held instance beyond its deflated bytes: this object, the array header, references to it. */
    public static final int OVERHEAD = 48;

    private static final ThreadLocal<Deflater> DEFLATER = ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED));
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(() -> new Inflater());

    private final byte[] deflated;
    private final int length;
    /** Shared by many instances (not counted per instance): text like theirs, so a small body deflates well. */
    private final byte[] dictionary;

    private CompactBytes(byte[] deflated, int length, byte[] dictionary) {
        this.deflated = deflated;
        this.length = length;
        this.dictionary = dictionary;
    }

    private CompactBytes(byte[] deflated, int length) {
        this(deflated, length, null);
    }

    public static CompactBytes of(byte[] plain) {
        return of(plain, null);
    }

    /**
     * Kept with a preset dictionary (at most 32 KiB are used): an object of a few hundred bytes deflates to a fraction
     * of its size only against text like it, e.g. another object of its kind. The dictionary is referenced, not copied.
     */
    public static CompactBytes of(byte[] plain, byte[] dictionary) {
        Deflater d = DEFLATER.get();
        d.reset();
        if (dictionary != null) {
            d.setDictionary(dictionary);
        }
        d.setInput(plain);
        d.finish();
        byte[] buf = new byte[Math.max(64, plain.length / 2 + 64)];
        int n = 0;
        while (!d.finished()) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            n += d.deflate(buf, n, buf.length - n);
        }
        return new CompactBytes(Arrays.copyOf(buf, n), plain.length, dictionary);
    }

    /**
     * Deflates a stream of unknown length (the manifest) without ever holding it whole; what it keeps is charged to
     * {@code charge} as it grows, before more is read (a manifest of random text deflates to its own size).
     */
    public static CompactBytes of(InputStream in, java.util.function.LongConsumer charge) throws java.io.IOException {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
            charge.accept(OVERHEAD + (1 << 16));
            byte[] chunk = new byte[1 << 16];
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int r;
            while ((r = in.read(chunk)) > 0) {
                total += r;
                if (total > Integer.MAX_VALUE - 8) {
                    throw new java.io.IOException("entry too large");
                }
                d.setInput(chunk, 0, r);
                while (!d.needsInput()) {
                    deflated(out, buf, d.deflate(buf), charge);
                }
            }
            d.finish();
            while (!d.finished()) {
                deflated(out, buf, d.deflate(buf), charge);
            }
            return new CompactBytes(out.toByteArray(), (int) total);
        } finally {
            d.end();
        }
    }

    /** Keeps {@code n} more deflated bytes, charged first (the buffer's growth and final copy are transient). */
    private static void deflated(ByteArrayOutputStream out, byte[] buf, int n, java.util.function.LongConsumer charge) {
        if (n > 0) {
            charge.accept(n);
            out.write(buf, 0, n);
        }
    }

    /** The original bytes, exactly. */
    public byte[] bytes() {
        Inflater inf = INFLATER.get();
        inf.reset();
        inf.setInput(deflated);
        byte[] out = new byte[length];
        try {
            int n = 0;
            while (n < length) {
                int r = inf.inflate(out, n, length - n);
                if (r == 0 && inf.needsDictionary()) {
                    inf.setDictionary(dictionary);
                    continue;
                }
                if (r == 0 && (inf.finished() || inf.needsInput())) {
                    break;
                }
                n += r;
            }
            if (n != length) {
                throw new IllegalStateException("compact bytes do not restore to their length");
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("compact bytes are damaged", e);
        }
        return out;
    }

    /** The original bytes as a stream, inflated as read (for the manifest, which is never held whole). */
    public InputStream stream() {
        return new InflaterInputStream(new java.io.ByteArrayInputStream(deflated), new Inflater(), 1 << 16) {
            private boolean ended;

            @Override
            public void close() throws java.io.IOException {
                super.close();
                if (!ended) {
                    ended = true;
                    inf.end();
                }
            }
        };
    }

    public int length() {
        return length;
    }

    /** What this instance holds on the heap. */
    public long heldBytes() {
        return deflated.length + OVERHEAD;
    }

    @Override
    public String toString() {
        return "CompactBytes[" + length + " bytes, " + deflated.length + " held]";
    }
}

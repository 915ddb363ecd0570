package io.pivotctl.archive;

import io.pivotctl.Printable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Sits between the (decompressed) tar stream and commons-compress and looks at every 512-byte header as it
 * passes, before commons-compress acts on it. commons-compress buffers a GNU long name/link ('L'/'K') or a PAX
 * header ('x'/'g') whole, follows chains of them recursively, and accumulates global PAX keys, all before any
 * limit of ours could see the entry: so their sizes, their number in a row and the total of global headers are
 * checked here. It also counts every byte (the decompressed size under gzip) and stops at a limit.
 *
 * <p>To stay in step with commons-compress it only allows the header kinds whose data length is simply the
 * size field: sparse files (GNU 'S', PAX GNU.sparse.*) and a PAX {@code size} override are refused, which
 * export never writes. {@link ArchiveReader} checks, for every entry returned, that commons-compress will skip
 * exactly the data length assumed here ({@link #entryDataLength()}).
 */
final class TarHeaderGuard extends FilterInputStream {

    /** A limit or a refused header: a one-line reason; thrown as an IOException so it can cross commons-compress. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    static final int BLOCK = 512;
    /** Meta headers in a row before a real entry: a PAX header plus GNU long name and long link is three. */
    static final int MAX_META_IN_A_ROW = 4;

    private final long maxHeaderBytes;
    private final long maxStreamBytes;
    private final byte[] header = new byte[BLOCK];
    private int headerFill;
    private long pos;
    private long nextHeader;
    private boolean ended;
    private int metaInARow;
    private long globalHeaderBytes;
    /** The content of the PAX header being read, checked once complete. */
    private byte[] pax;
    private long paxStart;
    private long entryDataLength = -1;

    TarHeaderGuard(InputStream in, long maxHeaderBytes, long maxStreamBytes) {
        super(in);
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxStreamBytes = maxStreamBytes;
    }

    /** The data length (size field) of the last real (non-meta) entry header seen. */
    long entryDataLength() {
        return entryDataLength;
    }

    private final byte[] one = new byte[1];

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            inspect(b, off, n);
        }
        return n;
    }

    /** Skipped bytes are read through the inspection too: headers must not pass unseen. */
    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 1 << 16)];
        long done = 0;
        while (done < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // positions are tracked: no rewinding
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void inspect(byte[] b, int off, int len) throws IOException {
        if (pos + len > maxStreamBytes) {
            throw new Refused("archive content exceeds the limit of " + maxStreamBytes + " bytes once decompressed");
        }
        int i = off;
        int end = off + len;
        while (i < end) {
            if (ended) {
                pos += end - i;
                return;
            }
            if (pos < nextHeader) {
                int n = (int) Math.min(end - i, nextHeader - pos);
                capturePax(b, i, n);
                pos += n;
                i += n;
                continue;
            }
            int n = Math.min(end - i, BLOCK - headerFill);
            System.arraycopy(b, i, header, headerFill, n);
            headerFill += n;
            pos += n;
            i += n;
            if (headerFill == BLOCK) {
                headerFill = 0;
                onHeader();
            }
        }
    }

    private void onHeader() throws IOException {
        if (allZero(header)) {
            ended = true; // end-of-archive marker: commons-compress stops reading entries here too
            return;
        }
        char type = (char) header[156];
        long size = sizeField(header);
        nextHeader = pos + (size + BLOCK - 1) / BLOCK * BLOCK;
        String meta = metaName(type);
        if (meta == null) {
            if (type == 'S') {
                throw new Refused("archive has a GNU sparse file entry, which pivotctl archives never contain");
            }
            metaInARow = 0;
            entryDataLength = size;
            return;
        }
        if (size > maxHeaderBytes) {
            throw new Refused("archive has a " + meta + " of " + size + " bytes, over the limit of " + maxHeaderBytes + " bytes");
        }
        if (++metaInARow > MAX_META_IN_A_ROW) {
            throw new Refused("archive has more than " + MAX_META_IN_A_ROW + " tar extension headers in a row (limit)");
        }
        if (type == 'g') {
            globalHeaderBytes += size;
            if (globalHeaderBytes > maxHeaderBytes) {
                throw new Refused("archive has PAX global headers of more than " + maxHeaderBytes + " bytes in total (limit)");
            }
        }
        if (type == 'x' || type == 'X' || type == 'g') {
            pax = new byte[(int) size];
            paxStart = pos;
            if (size == 0) {
                checkPax();
            }
        }
    }

    private static String metaName(char type) {
        return switch (type) {
            case 'L' -> "GNU long name header";
            case 'K' -> "GNU long link header";
            case 'x', 'X' -> "PAX header";
            case 'g' -> "PAX global header";
            default -> null;
        };
    }

    private void capturePax(byte[] b, int off, int n) throws IOException {
        if (pax == null) {
            return;
        }
        long from = pos - paxStart;
        if (from >= pax.length) {
            return;
        }
        int take = (int) Math.min(n, pax.length - from);
        System.arraycopy(b, off, pax, (int) from, take);
        if (from + take == pax.length) {
            checkPax();
        }
    }

    /** Refuses the PAX keys that would change how much data follows (commons-compress would then skip differently). */
    private void checkPax() throws IOException {
        byte[] p = pax;
        pax = null;
        int i = 0;
        while (i < p.length) {
            int space = indexOf(p, (byte) ' ', i);
            if (space < 0) {
                return; // malformed: commons-compress refuses it
            }
            int recordLength;
            try {
                recordLength = Integer.parseInt(new String(p, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return;
            }
            if (recordLength <= 0 || i + recordLength > p.length) {
                return;
            }
            int eq = indexOf(p, (byte) '=', space + 1);
            if (eq < 0 || eq >= i + recordLength) {
                return;
            }
            String key = new String(p, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            if (key.equals("size") || key.startsWith("GNU.sparse.")) {
                throw new Refused("archive has a PAX header setting '" + Printable.of(key)
                        + "', which pivotctl archives never contain (sparse or over-8-GiB entries)");
            }
            i += recordLength;
        }
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The size field (offset 124, 12 bytes), read exactly as commons-compress 1.28 reads it (TarUtils.parseOctalOrBinary):
     * a leading NUL means 0, leading spaces and trailing NULs/spaces are ignored; with the high bit set, the last 11
     * bytes are a big-endian two's-complement number. Reading it any other way could let a header slip past unseen.
     */
    static long sizeField(byte[] h) throws Refused {
        final int offset = 124;
        final int length = 12;
        if ((h[offset] & 0x80) != 0) {
            if (h[offset] == (byte) 0xff) {
                throw new Refused("archive is corrupt: a tar header has a negative size");
            }
            java.math.BigInteger v = new java.math.BigInteger(java.util.Arrays.copyOfRange(h, offset + 1, offset + length));
            if (v.signum() < 0 || v.bitLength() > 63) {
                throw new Refused("archive is corrupt: a tar header size is out of range");
            }
            return v.longValue();
        }
        if (h[offset] == 0) {
            return 0;
        }
        int start = offset;
        int end = offset + length;
        while (start < end && h[start] == ' ') {
            start++;
        }
        while (start < end && (h[end - 1] == 0 || h[end - 1] == ' ')) {
            end--;
        }
        long v = 0;
        for (; start < end; start++) {
            byte c = h[start];
            if (c < '0' || c > '7') {
                throw new Refused("archive is corrupt: a tar header has an invalid size field");
            }
            v = (v << 3) + (c - '0');
        }
        return v;
    }
}

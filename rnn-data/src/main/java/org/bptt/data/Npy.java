package org.bptt.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (version 1 to 3): a magic string, a header naming the dtype,
 * the order and the shape, then the raw little-endian values in C order. Reads floats (f2, f4,
 * f8, converted to float32) and integers (i1–i8, u1–u8, b1), writes float32 and int32.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final int CHUNK = 1 << 16;

    private Npy() {}

    /** An array's header: kind 'f' (float), 'i' (signed), 'u' (unsigned) or 'b' (bool), bytes per item, shape. */
    public record Header(char kind, int itemSize, long[] shape) {
        public long count() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        public boolean isFloat() {
            return kind == 'f';
        }

        public boolean isInteger() {
            return kind == 'i' || kind == 'u' || kind == 'b';
        }

        public int rank() {
            return shape.length;
        }

        /** NumPy's name: float32, int64… */
        public String dtype() {
            return switch (kind) {
                case 'f' -> "float" + 8 * itemSize;
                case 'i' -> "int" + 8 * itemSize;
                case 'u' -> "uint" + 8 * itemSize;
                default -> "bool";
            };
        }

        /** [3, 4, 5] */
        public String shapeText() {
            return Arrays.toString(shape);
        }
    }

    /** Reads the header and leaves {@code in} at the first value. */
    public static Header readHeader(InputStream in, String where) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] magic = new byte[6];
        try {
            d.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new DataFileException(where, "is not a NumPy .npy array (no \\x93NUMPY magic at its start)");
            }
            int major = d.readUnsignedByte();
            d.readUnsignedByte();
            int len;
            if (major == 1) {
                len = d.readUnsignedByte() | d.readUnsignedByte() << 8;
            } else if (major == 2 || major == 3) {
                len = d.readUnsignedByte()
                        | d.readUnsignedByte() << 8
                        | d.readUnsignedByte() << 16
                        | d.readUnsignedByte() << 24;
            } else {
                throw new DataFileException(
                        where, "is a .npy of format version " + major + ", only versions 1 to 3 are read");
            }
            if (len < 0 || len > 1 << 20) {
                throw new DataFileException(where, "has a .npy header of " + len + " bytes, which cannot be right");
            }
            byte[] h = new byte[len];
            d.readFully(h);
            return parse(new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1), where);
        } catch (EOFException e) {
            throw new DataFileException(where, "ends inside its .npy header");
        }
    }

    /** Header text as a message quotes it: one line, control characters shown as '?', at most 80 characters. */
    private static String quoted(String text) {
        String s = text.strip().replaceAll("\\p{Cntrl}", "?");
        return s.length() > 80 ? s.substring(0, 77) + "…" : s;
    }

    private static Header parse(String h, String where) {
        Matcher m = DESCR.matcher(h);
        if (!m.find()) {
            throw new DataFileException(
                    where,
                    "has a dtype that is not a plain number (header " + quoted(h)
                            + "); floats, integers and booleans are read");
        }
        char order = m.group(1).charAt(0);
        char kind = m.group(2).charAt(0);
        int size = m.group(3).length() > 2 ? -1 : Integer.parseInt(m.group(3));
        boolean known = (kind == 'f' && (size == 2 || size == 4 || size == 8))
                || ((kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8))
                || (kind == 'b' && size == 1);
        if (!known) {
            throw new DataFileException(
                    where,
                    "has dtype '" + m.group(1) + kind + size
                            + "', but floats (float16/32/64), integers and booleans are read");
        }
        if (order == '>' && size > 1) {
            throw new DataFileException(
                    where, "is stored big-endian; save it little-endian (NumPy's default, astype('<f4'))");
        }
        Matcher f = FORTRAN.matcher(h);
        if (f.find() && f.group(1).equals("True")) {
            throw new DataFileException(where, "is stored in Fortran order; save np.ascontiguousarray(a) instead");
        }
        Matcher s = SHAPE.matcher(h);
        if (!s.find()) {
            throw new DataFileException(where, "has a .npy header without a shape");
        }
        String[] parts = s.group(1).split(",");
        if (!Arrays.stream(parts).map(String::strip).allMatch(p -> p.matches("\\d{1,12}|"))) {
            throw new DataFileException(
                    where,
                    "has a .npy header whose shape (" + quoted(s.group(1)) + ") is not a tuple of whole numbers");
        }
        long[] shape = Arrays.stream(parts)
                .map(String::strip)
                .filter(p -> !p.isEmpty())
                .mapToLong(Long::parseLong)
                .toArray();
        Header header = new Header(kind, size, shape);
        try {
            header.count();
        } catch (ArithmeticException e) {
            throw new DataFileException(
                    where, "has the shape " + Arrays.toString(shape) + ", more elements than any file holds");
        }
        return header;
    }

    /** Reads the header's values as float32 (floats converted, integers as their values). */
    public static float[] readFloats(InputStream in, Header h, String where) throws IOException {
        float[] out = new float[Math.toIntExact(h.count())];
        readValues(in, h, where, (i, buf) -> out[i] = (float) value(h, buf));
        return out;
    }

    /** Reads integer values; a float array is refused (a class id is an integer). */
    public static int[] readInts(InputStream in, Header h, String where) throws IOException {
        if (!h.isInteger()) {
            throw new DataFileException(
                    where, "has dtype " + h.dtype() + ", but class ids and lengths must be integers");
        }
        int[] out = new int[Math.toIntExact(h.count())];
        readValues(in, h, where, (i, buf) -> {
            double v = value(h, buf);
            out[i] = v > Integer.MAX_VALUE ? Integer.MAX_VALUE : v < Integer.MIN_VALUE ? Integer.MIN_VALUE : (int) v;
        });
        return out;
    }

    private interface Sink {
        void put(int index, ByteBuffer buf);
    }

    private static void readValues(InputStream in, Header h, String where, Sink sink) throws IOException {
        long n = h.count();
        int size = h.itemSize();
        byte[] chunk = new byte[CHUNK - CHUNK % size];
        ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        long done = 0;
        while (done < n) {
            int want = (int) Math.min(chunk.length, (n - done) * size);
            int got = in.readNBytes(chunk, 0, want);
            if (got < want) {
                throw new DataFileException(
                        where,
                        "holds " + (done + got / size) + " values, but its shape " + h.shapeText() + " says " + n
                                + " (the file is cut short)");
            }
            buf.clear();
            for (int k = 0; k < want / size; k++) {
                sink.put((int) done + k, buf);
            }
            done += want / size;
        }
    }

    private static double value(Header h, ByteBuffer b) {
        return switch (h.kind()) {
            case 'f' ->
                switch (h.itemSize()) {
                    case 2 -> Float.float16ToFloat(b.getShort());
                    case 4 -> b.getFloat();
                    default -> b.getDouble();
                };
            case 'u' ->
                switch (h.itemSize()) {
                    case 1 -> b.get() & 0xFF;
                    case 2 -> b.getShort() & 0xFFFF;
                    case 4 -> b.getInt() & 0xFFFFFFFFL;
                    default -> {
                        long v = b.getLong();
                        yield v < 0 ? Double.MAX_VALUE : v;
                    }
                };
            default ->
                switch (h.itemSize()) {
                    case 1 -> b.get();
                    case 2 -> b.getShort();
                    case 4 -> b.getInt();
                    default -> b.getLong();
                };
        };
    }

    /** Writes float32 values of {@code shape} as a version 1.0 .npy. */
    public static void writeFloats(OutputStream out, long[] shape, float[] data) throws IOException {
        writeHeader(out, "<f4", shape, data.length);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(v);
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** Writes int32 values of {@code shape} as a version 1.0 .npy. */
    public static void writeInts(OutputStream out, long[] shape, int[] data) throws IOException {
        writeHeader(out, "<i4", shape, data.length);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : data) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putInt(v);
        }
        out.write(buf.array(), 0, buf.position());
    }

    private static void writeHeader(OutputStream out, String descr, long[] shape, int values) throws IOException {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != values) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds " + n + " values, the data " + values);
        }
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1
                ? "(" + shape[0] + ",)"
                : "(" + dims.substring(0, Math.max(0, dims.length() - 2)) + ")";
        String dict =
                String.format(Locale.ROOT, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shapeText);
        // Magic, version and length take 10 bytes; the header is padded with spaces to a multiple of 64, ending in \n.
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) header.length(), (byte) (header.length() >> 8)});
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    }
}

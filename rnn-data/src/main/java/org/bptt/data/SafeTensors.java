package org.bptt.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.training.config.Json;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * mapping each tensor's name to its dtype, shape and byte range, an optional
 * {@code __metadata__} of strings, then the raw little-endian data. Reads F32, F64, F16 and
 * BF16 (as float32); writes F32.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "__metadata__";
    /** The format caps its header at 100 MB. */
    private static final long MAX_HEADER = 100_000_000L;

    private SafeTensors() {}

    /** One tensor: its shape and values (float32, C order). */
    public record Entry(long[] shape, float[] data) {
        public Entry {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(shape) + " holds " + n + " values, the data " + data.length);
            }
        }

        public int rank() {
            return shape.length;
        }

        public String shapeText() {
            return Arrays.toString(shape);
        }
    }

    /** A file's tensors, in the order of their data, and its metadata. */
    public record Contents(Map<String, Entry> tensors, Map<String, String> metadata) {}

    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0, file);
            long n = len.getLong(0);
            if (n <= 0 || n > MAX_HEADER || 8 + n > size) {
                throw new DataFileException(
                        file,
                        "is not a safetensors file (its first 8 bytes give a header of " + n + " bytes in a file of "
                                + size + ")");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8, file);
            JsonNode header;
            try {
                header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new DataFileException(
                        file, "has a damaged safetensors header: " + Json.describe(e, "safetensors header"));
            }
            if (!header.isObject()) {
                throw new DataFileException(file, "has a safetensors header that is not a JSON object");
            }
            long dataStart = 8 + n;
            long total = 0;
            TreeMap<Long, String> byOffset = new TreeMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (var it = header.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().equals(METADATA)) {
                    e.getValue()
                            .fields()
                            .forEachRemaining(
                                    m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                JsonNode t = e.getValue();
                long[] shape = naturals(t.path("shape"), -1);
                long[] offsets = naturals(t.path("data_offsets"), 2);
                if (shape == null || offsets == null || !t.path("dtype").isTextual()) {
                    throw new DataFileException(
                            file,
                            "has tensor '" + e.getKey() + "' described as " + shortJson(t) + "; safetensors describes "
                                    + "each as {\"dtype\": \"F32\", \"shape\": [whole numbers], \"data_offsets\": [begin, end]}");
                }
                long count = elements(shape);
                long begin = offsets[0];
                long end = offsets[1];
                int item = itemSize(file, e.getKey(), t.path("dtype").asText(""));
                if (count < 0 || count > Long.MAX_VALUE / 8 || end != begin + count * item || end > size - dataStart) {
                    throw new DataFileException(
                            file,
                            "has tensor '" + e.getKey() + "' whose shape " + Arrays.toString(shape)
                                    + " and byte range [" + begin + ", " + end + ") do not fit the file's "
                                    + (size - dataStart) + " data bytes");
                }
                total += count * Float.BYTES;
                byOffset.put(begin, e.getKey());
            }
            DataFiles.requireMemory(file, total);
            Map<String, Entry> tensors = new LinkedHashMap<>();
            for (String name : byOffset.values()) {
                JsonNode t = header.get(name);
                long[] shape = new long[t.path("shape").size()];
                for (int k = 0; k < shape.length; k++) {
                    shape[k] = t.path("shape").get(k).asLong();
                }
                long begin = t.path("data_offsets").path(0).asLong();
                long end = t.path("data_offsets").path(1).asLong();
                ByteBuffer raw =
                        ByteBuffer.allocate(Math.toIntExact(end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, raw, dataStart + begin, file);
                tensors.put(name, new Entry(shape, decode(raw, t.path("dtype").asText())));
            }
            return new Contents(tensors, metadata);
        } catch (NoSuchFileException e) {
            throw new DataFileException(file, "no such file");
        } catch (IOException e) {
            throw new DataFileException(file, "cannot be read (" + e.getMessage() + ")");
        }
    }

    /** The array's whole numbers from 0 (exactly {@code size} of them unless it is -1), or null when it is not such an array. */
    private static long[] naturals(JsonNode a, int size) {
        if (!a.isArray() || (size >= 0 && a.size() != size)) {
            return null;
        }
        long[] v = new long[a.size()];
        for (int k = 0; k < v.length; k++) {
            JsonNode n = a.get(k);
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
                return null;
            }
            v[k] = n.asLong();
        }
        return v;
    }

    /** The number of elements of a shape, or -1 when it does not fit a long. */
    private static long elements(long[] shape) {
        long count = 1;
        try {
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
        } catch (ArithmeticException e) {
            return -1;
        }
        return count;
    }

    private static String shortJson(JsonNode n) {
        String s = n.toString();
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    private static int itemSize(Path file, String name, String dtype) {
        return switch (dtype) {
            case "F32" -> 4;
            case "F64" -> 8;
            case "F16", "BF16" -> 2;
            default ->
                throw new DataFileException(
                        file,
                        "has tensor '" + name + "' of dtype " + dtype
                                + ", but model weights are read as F32, F64, F16 or BF16");
        };
    }

    private static float[] decode(ByteBuffer raw, String dtype) {
        raw.flip();
        float[] out = new float[raw.remaining() / (dtype.equals("F32") ? 4 : dtype.equals("F64") ? 8 : 2)];
        for (int k = 0; k < out.length; k++) {
            out[k] = switch (dtype) {
                case "F32" -> raw.getFloat();
                case "F64" -> (float) raw.getDouble();
                case "F16" -> Float.float16ToFloat(raw.getShort());
                default -> Float.intBitsToFloat((raw.getShort() & 0xFFFF) << 16);
            };
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long at, Path file) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new DataFileException(file, "ends before its safetensors data do");
            }
            pos += n;
        }
    }

    /** Writes {@code tensors} as F32, in their order, with {@code metadata}; the file appears whole or not at all. */
    public static void write(Path file, Map<String, Entry> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject(METADATA);
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long end = offset + (long) e.getValue().data().length * Float.BYTES;
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // The data start 8-byte aligned, as the reference writer pads its header with spaces.
        int pad = (8 - json.length % 8) % 8;
        byte[] h = Arrays.copyOf(json, json.length + pad);
        Arrays.fill(h, json.length, h.length, (byte) ' ');
        AtomicFile.write(file, out -> {
            ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(h.length);
            out.write(b.array(), 0, 8);
            out.write(h);
            for (Entry en : tensors.values()) {
                b.clear();
                for (float v : en.data()) {
                    if (!b.hasRemaining()) {
                        out.write(b.array(), 0, b.position());
                        b.clear();
                    }
                    b.putFloat(v);
                }
                out.write(b.array(), 0, b.position());
            }
        });
    }
}

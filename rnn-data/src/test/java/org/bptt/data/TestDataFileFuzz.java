package org.bptt.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.data.TorchModels.Choices;
import org.bptt.data.TorchModels.Imported;
import org.bptt.training.Network;
import org.bptt.training.config.RunConfig;

/**
 * Damaged data files and PyTorch models, as a user's disk or download leaves them: every byte
 * of a real NPZ and safetensors file may be changed, cut off or zeroed, a safetensors header's
 * fields given any JSON value, a CSV's text edited. Each is read as {@code train --data} and
 * {@code --init-from} read it, and is either accepted whole (finite data of consistent shapes, a
 * model that predicts finite numbers) or refused with one sentence that names the file; never
 * another exception.
 */
final class TestDataFileFuzz {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MODELS = List.of("rnn_tanh", "gru", "lstm_2layer_bidir", "rnn_relu_bidir");

    private static Path dir;
    private static byte[] npz;
    private static byte[] csv;
    private static int accepted;
    private static int refused;

    @BeforeContainer
    static void files() throws IOException {
        dir = Files.createTempDirectory("data-fuzz");
        Fixtures.Ragged d = Fixtures.ragged(5, 6, 5, 3, 3);
        Path n = dir.resolve("good.npz");
        Fixtures.writeNpz(n, d, Fixtures.padded(d, 1, 7), true);
        npz = Files.readAllBytes(n);
        Path c = dir.resolve("good.csv");
        Fixtures.writeCsv(c, d);
        csv = Files.readAllBytes(c);
    }

    @AfterContainer
    static void report() {
        // Both outcomes must occur, or the damage is too mild or too wild to test anything (when the properties ran).
        assertTrue(
                accepted + refused < 100 || (accepted > 0 && refused > 0),
                "accepted " + accepted + ", refused " + refused);
    }

    /** Byte damage of one of several kinds at a position given as a fraction of the length. */
    record Damage(int kind, double at, int length, int value) {
        byte[] apply(byte[] src) {
            int n = src.length;
            int pos = Math.min(n - 1, (int) (at * n));
            byte[] b = src.clone();
            switch (kind) {
                case 0 -> b[pos] ^= (byte) (1 << (value & 7));
                case 1 -> Arrays.fill(b, pos, Math.min(n, pos + length), (byte) value);
                case 2 -> b = Arrays.copyOf(src, pos);
                case 3 -> {
                    int p = Math.min(n - 4, pos);
                    ByteBuffer.wrap(b, p, 4)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putInt(
                                    switch (value & 3) {
                                        case 0 -> Integer.MAX_VALUE;
                                        case 1 -> -1;
                                        case 2 -> 0;
                                        default -> value;
                                    });
                }
                default -> b = Arrays.copyOf(src, n + length);
            }
            return b;
        }
    }

    @Provide
    Arbitrary<Damage> damage() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.integers().between(1, 64),
                        Arbitraries.integers())
                .as(Damage::new);
    }

    @Property(tries = 400)
    void damagedNpzFiles(@ForAll("damage") Damage d) {
        Path f = write("fuzz.npz", d.apply(npz));
        readData(f);
    }

    /** A CSV edit: a character or token inserted, a span deleted, or a line doubled or dropped. */
    record CsvEdit(int kind, double at, int length, String token) {
        String apply(String text) {
            int pos = Math.min(text.length(), (int) (at * text.length()));
            int lineStart = text.lastIndexOf('\n', Math.max(0, pos - 1)) + 1;
            int lineEnd = text.indexOf('\n', pos);
            lineEnd = lineEnd < 0 ? text.length() : lineEnd + 1;
            return switch (kind) {
                case 0 -> text.substring(0, pos) + token + text.substring(pos);
                case 1 -> text.substring(0, pos) + text.substring(Math.min(text.length(), pos + length));
                case 2 -> text.substring(0, lineEnd) + text.substring(lineStart, lineEnd) + text.substring(lineEnd);
                default -> text.substring(0, lineStart) + text.substring(lineEnd);
            };
        }
    }

    @Provide
    Arbitrary<CsvEdit> csvEdits() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.integers().between(1, 40),
                        Arbitraries.of(
                                ",",
                                "\n",
                                "\"",
                                "\r\n",
                                "-",
                                "e",
                                "NaN",
                                "Infinity",
                                "1e999",
                                "-0",
                                "99999999999",
                                "0x10",
                                " ",
                                "\u00e9",
                                "\u0000",
                                ",,,",
                                "sequence,step",
                                "#",
                                "\ufeff",
                                "2147483648"))
                .as(CsvEdit::new);
    }

    @Property(tries = 400)
    void editedCsvFiles(@ForAll("csvEdits") CsvEdit e) {
        Path f = write(
                "fuzz.csv", e.apply(new String(csv, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        readData(f);
    }

    @Property(tries = 300)
    void damagedSafetensorsFiles(@ForAll("damage") Damage d, @ForAll("models") String model) {
        Path f = write("fuzz.safetensors", d.apply(model(model)));
        readModel(f);
    }

    /** A field of a safetensors header (a tensor's shape, dtype or offsets, or the metadata) given another value. */
    record HeaderEdit(int tensor, int field, int index, JsonNode value) {
        byte[] apply(byte[] src) {
            return withHeader(src, header -> {
                List<String> names = new ArrayList<>();
                header.fieldNames().forEachRemaining(names::add);
                String name = names.get(tensor % names.size());
                JsonNode entry = header.get(name);
                if (entry instanceof ObjectNode o && !name.equals("__metadata__")) {
                    String key = List.of("shape", "dtype", "data_offsets").get(field % 3);
                    if (index < 0) {
                        o.remove(key);
                    } else if (o.get(key) instanceof ArrayNode a && a.size() > 0 && index % 2 == 0) {
                        a.set(index % a.size(), value);
                    } else {
                        o.set(key, value);
                    }
                } else if (index < 0) {
                    header.remove(name);
                } else {
                    header.set(name, value);
                }
            });
        }
    }

    /** A safetensors file with its JSON header changed by {@code edit}, the data as they were. */
    static byte[] withHeader(byte[] src, java.util.function.Consumer<ObjectNode> edit) {
        int n = (int) ByteBuffer.wrap(src).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        ObjectNode header;
        byte[] h;
        try {
            header = (ObjectNode) JSON.readTree(new String(src, 8, n, StandardCharsets.UTF_8));
            edit.accept(header);
            h = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteBuffer.allocate(8 + h.length + src.length - 8 - n)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length)
                .put(h)
                .put(src, 8 + n, src.length - 8 - n)
                .array();
    }

    @Provide
    Arbitrary<HeaderEdit> headerEdits() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Arbitrary<JsonNode> values = Arbitraries.of(
                f.nullNode(),
                f.numberNode(-1),
                f.numberNode(0),
                f.numberNode(1),
                f.numberNode(3),
                f.numberNode(1.5),
                f.numberNode(Integer.MAX_VALUE),
                f.numberNode(Long.MAX_VALUE),
                f.numberNode(1L << 32),
                f.numberNode(new java.math.BigInteger("123456789012345678901234567890")),
                f.textNode(""),
                f.textNode("F32"),
                f.textNode("F16"),
                f.textNode("BF16"),
                f.textNode("F64"),
                f.textNode("I64"),
                f.booleanNode(true),
                f.arrayNode(),
                f.arrayNode().add(0).add(0),
                f.arrayNode().add(4).add(0),
                f.arrayNode().add(0),
                f.arrayNode().add(2).add(2).add(2),
                f.objectNode(),
                f.objectNode().put("x", "y"));
        return Combinators.combine(
                        Arbitraries.integers().between(0, 40),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(-1, 5),
                        values)
                .as(HeaderEdit::new);
    }

    @Property(tries = 400)
    void safetensorsHeadersWithAnyFieldValue(@ForAll("headerEdits") HeaderEdit e, @ForAll("models") String model) {
        Path f = write("fuzz.safetensors", e.apply(model(model)));
        readModel(f);
    }

    @Provide
    Arbitrary<String> models() {
        return Arbitraries.of(MODELS);
    }

    @Property(tries = 1)
    void theFuzzedFilesAreGoodOnes() {
        // The properties above start from files that are read whole.
        int before = accepted;
        readData(write("fuzz.npz", npz));
        readData(write("fuzz.csv", csv));
        for (String m : MODELS) {
            readModel(write("fuzz.safetensors", model(m)));
        }
        assertEquals(before + 2 + MODELS.size(), accepted, "a good file was refused");
    }

    @Example
    void whatTheFuzzingFoundIsRefusedInOneSentence() {
        // Each of these once ended in another exception (or, for the last two, was accepted).
        JsonNodeFactory f = JsonNodeFactory.instance;
        // A shape that is an object, not an array: a NullPointerException.
        refusedOnce(() -> readModel(write(
                "fuzz.safetensors",
                withHeader(
                        model("gru"),
                        h -> ((ObjectNode) h.path("body.gru.weight_hh_l0"))
                                .putObject("shape")
                                .put("x", "y")))));
        // weight_hh of shape [0, 0], its byte range empty: a division by zero while the cell was inferred.
        refusedOnce(() -> readModel(write("fuzz.safetensors", withHeader(model("rnn_tanh"), h -> {
            ObjectNode w = (ObjectNode) h.path("encoder.weight_hh_l0");
            long begin = w.path("data_offsets").path(0).asLong();
            w.set("shape", f.arrayNode().add(0).add(0));
            w.set("data_offsets", f.arrayNode().add(begin).add(begin));
        }))));
        // A header that is not JSON: Jackson's "(code 33)" in the sentence.
        byte[] notJson = model("gru");
        notJson[9] = '!';
        refusedOnce(() -> readModel(write("fuzz.safetensors", notJson)));
        // An empty column name in a CSV header: commons-csv's IllegalArgumentException.
        refusedOnce(() -> readData(
                write("fuzz.csv", ("," + new String(csv, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8))));
        // A shape in an .npy header that is not numbers: a NumberFormatException.
        refusedOnce(() -> readData(write("fuzz.npz", npzWithShape("(5, x, 3)"))));
        // A NaN among a model's weights: accepted, and it predicted NaN.
        byte[] nan = model("rnn_tanh");
        int data = 8 + (int) ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(data, Float.NaN);
        refusedOnce(() -> readModel(write("fuzz.safetensors", nan)));
    }

    /** An NPZ whose x.npy header gives {@code shape}, with y beside it. */
    private static byte[] npzWithShape(String shape) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
                z.putNextEntry(new java.util.zip.ZipEntry("x.npy"));
                byte[] h = ("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }     \n")
                        .getBytes(StandardCharsets.ISO_8859_1);
                z.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, 0});
                z.write(h);
                z.write(new byte[5 * 3 * 4]);
                z.closeEntry();
                z.putNextEntry(new java.util.zip.ZipEntry("y.npy"));
                Npy.writeInts(z, new long[] {5}, new int[5]);
                z.closeEntry();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void refusedOnce(Runnable read) {
        int before = refused;
        read.run();
        assertEquals(before + 1, refused, "refused");
    }

    // ------------------------------------------------------------------ the contract

    private static void readData(Path f) {
        try {
            SequenceData s = DataFiles.read(f, 0);
            accepted++;
            // Padding may hold anything (it is never read); every valid step must be a finite number.
            int width = s.inputSize();
            for (int a = 0; a < s.sequences(); a++) {
                int len = s.lengths() == null ? s.steps() : s.lengths()[a];
                assertTrue(len >= 1 && len <= s.steps(), "sequence " + a + " has the length " + len);
                for (int k = (a * s.steps()) * width; k < (a * s.steps() + len) * width; k++) {
                    assertTrue(Float.isFinite(s.x()[k]), "accepted data hold " + s.x()[k] + " at " + k);
                }
            }
        } catch (ConfigurationException e) {
            refusal(f, e);
        }
    }

    private static void readModel(Path f) {
        try {
            Imported m = TorchModels.read(f, Choices.NONE);
            Network net = TorchModels.network(
                    m, TorchModels.shapeOf(m.architecture()), RunConfig.defaults(), Fixtures.PLUGINS);
            float[] x = new float[2 * 3 * net.inputSize()];
            Arrays.fill(x, 0.5f);
            float[] y = Predictions.readouts(net, x, 2, 3, null, 2);
            accepted++;
            for (float v : y) {
                assertTrue(Float.isFinite(v), "an accepted model predicts " + v);
            }
        } catch (ConfigurationException e) {
            refusal(f, e);
        }
    }

    private static void refusal(Path f, ConfigurationException e) {
        refused++;
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString()), "the message names the file: " + m);
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(m.length() < 600, "short: " + m);
        for (String internal : List.of("Exception", "jackson", "Jackson", "java.", "(code ")) {
            assertFalse(m.contains(internal), "no internals (" + internal + "): " + m);
        }
    }

    private static byte[] model(String name) {
        try {
            return Files.readAllBytes(new TorchReference(name).model());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(String name, byte[] bytes) {
        Path f = dir.resolve(name);
        try {
            Files.write(f, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }
}

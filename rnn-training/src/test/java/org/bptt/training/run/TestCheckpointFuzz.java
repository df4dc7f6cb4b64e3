package org.bptt.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;
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
import org.bptt.training.Network;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.config.RunSetting;
import org.bptt.training.config.RunSettings;
import org.bptt.training.plugin.PluginFailure;
import org.bptt.training.wiring.PluginChoice;

/**
 * Damaged checkpoints, by the thousand: random byte damage (which the CRC catches), and
 * damage behind a valid CRC (length fields, header fields of every JSON type, huge sizes, a
 * vocabulary that does not match), which only the reader's checks stand against. Reading and
 * loading one may succeed or refuse it with one sentence naming the file; nothing else, and
 * never an allocation that the file's length fields alone ask for.
 */
final class TestCheckpointFuzz {
    static Path dir;
    static byte[] good;
    static byte[] text;
    static int tried;
    static int refused;

    @BeforeContainer
    static void runs() throws IOException {
        dir = Files.createTempDirectory("ckpt-fuzz");
        good = Files.readAllBytes(
                Runs.trained(dir.resolve("adding"), Runs.small(10)).resolve(TrainingRun.CHECKPOINT));
        RunConfig lm = Runs.small(10).toBuilder()
                .task(new PluginChoice("text", java.util.Map.of("steps", "6")))
                .build();
        text = Files.readAllBytes(Runs.trained(dir.resolve("text"), lm).resolve(TrainingRun.CHECKPOINT));
    }

    @AfterContainer
    static void report() throws IOException {
        System.out.printf(
                "TestCheckpointFuzz: %d damaged checkpoints read and loaded, %d refused with one sentence%n",
                tried, refused);
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 600)
    void randomDamageIsRefusedByTheChecksum(@ForAll("damage") Damage d) {
        byte[] b = d.apply(d.text ? text : good);
        attempt(b, Arrays.equals(b, d.text ? text : good) ? Expect.LOADS : Expect.REFUSED);
    }

    @Property(tries = 400)
    void damageBehindAValidChecksumIsRefusedOrHarmless(@ForAll("damage") Damage d) {
        attempt(withCrc(d.apply(d.text ? text : good)), Expect.EITHER);
    }

    @Property(tries = 400)
    void headerFieldsOfAnyTypeAreRefusedOrHarmless(@ForAll("headerEdits") HeaderEdit e) {
        attempt(withCrc(e.apply(e.text ? text : good)), Expect.EITHER);
    }

    enum Expect {
        LOADS,
        REFUSED,
        EITHER
    }

    private static void attempt(byte[] bytes, Expect expect) {
        tried++;
        Path f = dir.resolve("fuzz.bin");
        try {
            Files.write(f, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Network n = Network.load(Checkpoint.read(f), f.toString(), Runs.PLUGINS);
            assertTrue(expect != Expect.REFUSED, "a damaged checkpoint was accepted");
            assertTrue(n.iteration() >= 0);
        } catch (ConfigurationException e) {
            refused++;
            assertTrue(expect != Expect.LOADS, "a good checkpoint was refused: " + e.getMessage());
            String m = e.getMessage();
            assertTrue(m.startsWith(f.toString()), "the message names the file: " + m);
            assertFalse(m.contains("\n"), "one line: " + m);
            assertTrue(m.length() < 400, "short: " + m);
            for (String internal :
                    List.of("Exception", "jackson", "Jackson", "java.", "FAIL_ON", "creator", "token", "(code ")) {
                assertFalse(m.contains(internal), "no internals (" + internal + "): " + m);
            }
        } catch (PluginFailure e) {
            throw new AssertionError("a damaged checkpoint made a plugin fail: " + e.getMessage(), e);
        }
    }

    static byte[] withCrc(byte[] b) {
        if (b.length < 8) {
            return b;
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 8);
        ByteBuffer.wrap(b, b.length - 8, 8).putLong(crc.getValue());
        return b;
    }

    /** One of several kinds of byte damage at a position given as a fraction of the length. */
    record Damage(boolean text, int kind, double at, int length, int value) {
        byte[] apply(byte[] src) {
            int n = src.length;
            int pos = Math.min(n - 1, (int) (at * n));
            byte[] b = src.clone();
            switch (kind) {
                case 0 -> b[pos] ^= (byte) (1 << (value & 7)); // one bit
                case 1 -> Arrays.fill(b, pos, Math.min(n, pos + length), (byte) value); // a run of one byte
                case 2 -> b = Arrays.copyOf(src, pos); // truncated
                case 3 -> { // bytes inserted
                    byte[] r = new byte[n + length];
                    System.arraycopy(src, 0, r, 0, pos);
                    Arrays.fill(r, pos, pos + length, (byte) value);
                    System.arraycopy(src, pos, r, pos + length, n - pos);
                    b = r;
                }
                case 4 -> { // a length field: an int set to an extreme
                    int p = Math.min(n - 4, pos);
                    ByteBuffer.wrap(b, p, 4)
                            .putInt(
                                    switch (value & 3) {
                                        case 0 -> Integer.MAX_VALUE;
                                        case 1 -> -1;
                                        case 2 -> 0;
                                        default -> value;
                                    });
                }
                default -> b = Arrays.copyOf(src, n + length); // zeros appended
            }
            return b;
        }
    }

    @Provide
    Arbitrary<Damage> damage() {
        return Combinators.combine(
                        Arbitraries.of(false, true),
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.integers().between(1, 64),
                        Arbitraries.integers())
                .as(Damage::new);
    }

    /** A field of the JSON header (found by a path of choices) replaced, removed, or added. */
    record HeaderEdit(boolean text, List<Integer> path, int action, JsonNode value) {
        byte[] apply(byte[] src) {
            return editHeader(src, this::edit);
        }

        private void edit(ObjectNode root) {
            JsonNode parent = root;
            String field = null;
            int index = -1;
            JsonNode node = root;
            for (int step : path) {
                if (node.isObject() && node.size() > 0) {
                    Iterator<String> names = node.fieldNames();
                    String f = null;
                    for (int i = 0; i <= Math.floorMod(step, node.size()); i++) {
                        f = names.next();
                    }
                    parent = node;
                    field = f;
                    index = -1;
                    node = node.get(f);
                } else if (node.isArray() && node.size() > 0) {
                    parent = node;
                    index = Math.floorMod(step, node.size());
                    field = null;
                    node = node.get(index);
                } else {
                    break;
                }
            }
            if (field == null && index < 0) {
                root.set("unexpected", value);
            } else if (parent instanceof ObjectNode o) {
                switch (action) {
                    case 0 -> o.remove(field);
                    case 1 -> o.set(field + "_extra", value);
                    default -> o.set(field, value);
                }
            } else if (parent instanceof ArrayNode a) {
                switch (action) {
                    case 0 -> a.remove(index);
                    case 1 -> a.add(value);
                    default -> a.set(index, value);
                }
            }
        }
    }

    @Provide
    Arbitrary<HeaderEdit> headerEdits() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Arbitrary<JsonNode> values = Arbitraries.of(
                f.nullNode(),
                f.numberNode(-1),
                f.numberNode(0),
                f.numberNode(1),
                f.numberNode(2),
                f.numberNode(1.5),
                f.numberNode(Integer.MAX_VALUE),
                f.numberNode(Long.MAX_VALUE),
                f.numberNode(new java.math.BigInteger("123456789012345678901234567890")),
                f.numberNode(1e300),
                f.textNode(""),
                f.textNode("x"),
                f.textNode("adam"),
                f.textNode("ce"),
                f.textNode("é"),
                f.booleanNode(true),
                f.arrayNode(),
                f.arrayNode().add("a").add("a"),
                f.objectNode(),
                f.objectNode().put("name", "nope"),
                f.numberNode(46341),
                f.numberNode(100_000_000));
        return Combinators.combine(
                        Arbitraries.of(false, true),
                        Arbitraries.integers()
                                .between(0, 40)
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(4),
                        Arbitraries.integers().between(0, 4),
                        values)
                .as(HeaderEdit::new);
    }

    @Example
    void anOptionWithoutAValueIsRefused() {
        // Found by the property above: a JSON null among a plugin's options once reached String.strip().
        Map<String, String> declared =
                Map.of("task", "steps", "optimizer", "lr", "cell", "activation", "truncation", "k1");
        for (Map.Entry<String, String> option : declared.entrySet()) {
            for (byte[] original : List.of(good, text)) {
                byte[] nulled = editHeader(
                        original,
                        header -> ((ObjectNode) header.path("config")
                                        .path(option.getKey())
                                        .path("options"))
                                .putNull(option.getValue()));
                // A network does not build its task, so a task's option is refused or unused.
                attempt(withCrc(nulled), option.getKey().equals("task") ? Expect.EITHER : Expect.REFUSED);
            }
        }
    }

    @Example
    void aDamagedPluginNameIsRefused() {
        // Found by the command-line fuzzing: "text" read as " ext" reached a task lookup that did not name the file.
        int edited = 0;
        for (RunSetting<?> s : RunSettings.all()) {
            for (byte[] original : List.of(good, text)) {
                if (s.family() == null
                        || !Checkpoint.read(write(original)).configJson().contains("\"" + s.key() + "\":{")) {
                    continue;
                }
                byte[] renamed = editHeader(original, header -> {
                    ObjectNode choice = (ObjectNode) header.path("config").path(s.key());
                    choice.put("name", " " + choice.path("name").asText().substring(1));
                });
                attempt(withCrc(renamed), Expect.REFUSED);
                edited++;
            }
        }
        assertTrue(edited >= 12, "plugin choices edited: " + edited);
    }

    private static Path write(byte[] bytes) {
        Path f = dir.resolve("original.bin");
        try {
            Files.write(f, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    /** The checkpoint with its JSON header changed by {@code edit}; the CRC is left for the caller. */
    static byte[] editHeader(byte[] src, Consumer<ObjectNode> edit) {
        ByteBuffer in = ByteBuffer.wrap(src);
        byte[] magic = new byte[8];
        in.get(magic);
        byte[] h = new byte[in.getInt()];
        in.get(h);
        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        try {
            ObjectNode header = (ObjectNode) Json.MAPPER.readTree(h);
            edit.accept(header);
            byte[] nh = Json.MAPPER.writeValueAsBytes(header);
            return ByteBuffer.allocate(12 + nh.length + rest.length)
                    .put(magic)
                    .putInt(nh.length)
                    .put(nh)
                    .put(rest)
                    .array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Property(tries = 1)
    void theFuzzedCheckpointsAreRealOnes() {
        // The originals load: the properties above start from checkpoints that work.
        for (byte[] b : List.of(good, text)) {
            attempt(b.clone(), Expect.LOADS);
        }
        assertEquals(8, new String(good, 0, 8, StandardCharsets.US_ASCII).length());
    }
}

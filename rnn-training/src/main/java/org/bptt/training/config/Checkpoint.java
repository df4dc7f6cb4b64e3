package org.bptt.training.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.StateSink;
import org.bptt.api.plugin.StateSource;
import org.bptt.api.plugin.Stateful;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;

/**
 * A training checkpoint: what a run is (configuration, model sizes, the plugins it needs), how
 * far it got (the iteration, how many metrics rows it covers), every parameter, the optimizer's
 * and the gradient policy's state, and the task's vocabulary, followed by a CRC-32 of all of it.
 * Random state needs no saving: each iteration's data generator is derived from (seed,
 * iteration), so a resumed run draws the same batches.
 *
 * <p>Layout of format 2: magic {@code RNNCKPT2}; a JSON header (length-prefixed, UTF-8) holding
 * everything but the numbers; the parameters; the optimizer's state; the policy's state; the
 * CRC-32 (8 bytes). Format 1 ({@code RNNCKPT1}, rnn 0.1) is still read. Every length is
 * checked against what is left of the file before anything is allocated, so a damaged file is
 * refused with one sentence however its length fields read.
 */
public final class Checkpoint {
    private static final byte[] MAGIC_V1 = "RNNCKPT1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC_V2 = "RNNCKPT2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC_PREFIX = "RNNCKPT".getBytes(StandardCharsets.US_ASCII);
    public static final int FORMAT = 2;

    private final ObjectNode header;
    private final Map<String, float[]> params;
    private final Map<String, Object> optimizerState;
    private final Map<String, Object> policyState;

    private Checkpoint(
            ObjectNode header,
            Map<String, float[]> params,
            Map<String, Object> optimizerState,
            Map<String, Object> policyState) {
        this.header = header;
        this.params = params;
        this.optimizerState = optimizerState;
        this.policyState = policyState;
    }

    /** The run's configuration as JSON (validated by whoever parses it). */
    public String configJson() {
        return header.get("config").toString();
    }

    public RunConfig config(String source) {
        return Json.parse(configJson(), source);
    }

    /**
     * The run's configuration, checked against the loaded plugins: each plugin the checkpoint
     * records is loaded, and each plugin choice of its configuration names a loaded plugin and
     * options it takes (a damaged header behind a valid checksum must not reach a plugin lookup).
     * Refusals name {@code source}.
     */
    public RunConfig config(String source, Plugins plugins) {
        for (PluginRecord p : plugins()) {
            PluginFamily family = Arrays.stream(PluginFamily.values())
                    .filter(f -> f.singular().equals(p.family()))
                    .findFirst()
                    .orElse(null);
            if (family != null && !plugins.registry(family).all().containsKey(p.name())) {
                throw new ConfigurationException(
                        source + ": the run needs the " + p.family() + " plugin '" + p.name() + "' (from " + p.origin()
                                + "), which is not among the loaded plugins; add its jar or folder to the plugin path");
            }
        }
        RunConfig saved = config(source);
        try {
            saved.validate();
            for (RunSetting<?> s : RunSettings.all()) {
                if (s.family() != null && saved.get(s) instanceof PluginChoice choice) {
                    plugins.check(s.family(), choice);
                }
            }
        } catch (ConfigurationException e) {
            throw new ConfigurationException(source + ": the checkpoint's configuration is invalid: " + e.getMessage());
        }
        return saved;
    }

    public long iteration() {
        return header.get("iteration").asLong();
    }

    public int inputSize() {
        return header.path("input_size").asInt(-1);
    }

    public int outputSize() {
        return header.path("output_size").asInt(-1);
    }
    /** The loss the model was trained with, when the configuration left it to the task. */
    public String taskLoss() {
        return header.path("task_loss").asText(null);
    }

    public List<String> vocabulary() {
        List<String> v = new ArrayList<>();
        for (JsonNode n : header.path("vocabulary")) {
            v.add(n.asText());
        }
        return Collections.unmodifiableList(v);
    }

    /** The plugins the run was made with: family, name, origin and version of each. */
    public List<PluginRecord> plugins() {
        List<PluginRecord> l = new ArrayList<>();
        for (JsonNode n : header.path("plugins")) {
            l.add(new PluginRecord(
                    n.path("family").asText(),
                    n.path("name").asText(),
                    n.path("origin").asText(),
                    n.path("version").asText(),
                    n.path("outside").asBoolean()));
        }
        return l;
    }

    /** A field of the header that front ends added ({@link Builder#extra}); missing node when absent. */
    public JsonNode extra(String key) {
        return header.path("extra").path(key);
    }

    /** The saved parameters, by name (copies). */
    public Map<String, float[]> parameters() {
        Map<String, float[]> m = new LinkedHashMap<>();
        params.forEach((k, v) -> m.put(k, v.clone()));
        return m;
    }

    /**
     * A plugin a run needs.
     *
     * @param family  e.g. "cell"
     * @param name    e.g. "gru"
     * @param origin  where it came from when the run was made ({@code PluginOrigin.describe()})
     * @param version its version then
     * @param outside whether it came from the plugin path
     */
    public record PluginRecord(String family, String name, String origin, String version, boolean outside) {}

    /** What goes into a checkpoint; {@link #capture()} copies the live state. */
    public static final class Builder {
        private final ObjectNode header = Json.MAPPER.createObjectNode();
        private ParameterSet params;
        private Stateful optimizer;
        private Stateful policy;

        public Builder(String configJson, long iteration) {
            header.put("format", FORMAT);
            try {
                header.set("config", Json.MAPPER.readTree(configJson));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not JSON: " + configJson, e);
            }
            header.put("iteration", iteration);
            header.putArray("plugins");
            header.putArray("vocabulary");
            header.putObject("extra");
        }

        public Builder sizes(int inputSize, int outputSize, String taskLoss) {
            header.put("input_size", inputSize);
            header.put("output_size", outputSize);
            header.put("task_loss", taskLoss);
            return this;
        }

        public Builder plugin(PluginRecord p) {
            ObjectNode o = ((ArrayNode) header.get("plugins")).addObject();
            o.put("family", p.family());
            o.put("name", p.name());
            o.put("origin", p.origin());
            o.put("version", p.version());
            o.put("outside", p.outside());
            return this;
        }

        public Builder vocabulary(List<String> vocabulary) {
            ArrayNode a = (ArrayNode) header.get("vocabulary");
            vocabulary.forEach(a::add);
            return this;
        }

        /** A front end's own field (e.g. how many metrics rows the checkpoint covers). */
        public Builder extra(String key, JsonNode value) {
            ((ObjectNode) header.get("extra")).set(key, value);
            return this;
        }

        public Builder state(ParameterSet params, Stateful optimizer, Stateful policy) {
            this.params = params;
            this.optimizer = optimizer;
            this.policy = policy;
            return this;
        }

        /** Copies everything now, so the run may go on while the copy is written. */
        public Checkpoint capture() {
            Map<String, float[]> p = new LinkedHashMap<>();
            for (Tensor t : params) {
                p.put(t.name(), t.data().clone());
            }
            return new Checkpoint(header.deepCopy(), p, collect(optimizer), collect(policy));
        }
    }

    private static Map<String, Object> collect(Stateful s) {
        Map<String, Object> m = new LinkedHashMap<>();
        s.saveState(new StateSink() {
            @Override
            public void putFloats(String key, float[] values) {
                m.put(key, values.clone());
            }

            @Override
            public void putLong(String key, long value) {
                m.put(key, value);
            }
        });
        return m;
    }

    /** Copies the stored state into a freshly built model of the same configuration. */
    public void restore(ParameterSet target, Stateful optimizer, Stateful policy, String file) {
        for (Tensor t : target) {
            float[] v = params.get(t.name());
            if (v == null || v.length != t.size()) {
                throw new ConfigurationException(file + ": the checkpoint does not match the model (parameter "
                        + t.name()
                        + (v == null ? " is missing" : " has " + v.length + " values, the model needs " + t.size())
                        + ")");
            }
            System.arraycopy(v, 0, t.data(), 0, v.length);
        }
        optimizer.loadState(source(optimizerState, file, "optimizer"));
        policy.loadState(source(policyState, file, "gradient policy"));
    }

    private static StateSource source(Map<String, Object> m, String file, String what) {
        return new StateSource() {
            @Override
            public void getFloats(String key, float[] into) {
                if (!(m.get(key) instanceof float[] v) || v.length != into.length) {
                    throw new ConfigurationException(file + ": the checkpoint's " + what + " state '" + key
                            + "' is missing or has the wrong size");
                }
                System.arraycopy(v, 0, into, 0, v.length);
            }

            @Override
            public long getLong(String key) {
                if (!(m.get(key) instanceof Long v)) {
                    throw new ConfigurationException(
                            file + ": the checkpoint's " + what + " state '" + key + "' is missing");
                }
                return v;
            }
        };
    }

    /**
     * Writes atomically: a reader sees the previous checkpoint or this one, never a mix. The
     * bytes stream to the file with the CRC computed on the way, so no copy of the whole
     * checkpoint is held in memory.
     */
    public void write(Path file) throws IOException {
        AtomicFile.write(file, os -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(os, crc));
            out.write(MAGIC_V2);
            writeBytes(out, Json.MAPPER.writeValueAsBytes(header));
            writeFloats(out, params);
            writeState(out, optimizerState);
            writeState(out, policyState);
            out.flush();
            new DataOutputStream(os).writeLong(crc.getValue());
        });
    }

    /** Reads and validates; any damage is a {@link ConfigurationException} naming the file. */
    public static Checkpoint read(Path file) {
        byte[] all;
        try {
            if (Files.isDirectory(file)) {
                throw new ConfigurationException(file + ": is a folder, not a checkpoint");
            }
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new ConfigurationException(file + ": is not a regular file, so not a checkpoint");
            }
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(file + ": no such checkpoint");
        } catch (IOException e) {
            throw new ConfigurationException(file + ": the checkpoint cannot be read (" + e.getMessage() + ")");
        } catch (OutOfMemoryError e) {
            if (String.valueOf(e.getMessage()).contains("array size")) {
                throw new ConfigurationException(
                        file + ": the checkpoint is larger than 2 GB, more than any checkpoint of rnn");
            }
            // The heap ran out: the JVM's failure, not the input's (exit 1).
            throw new RunFailure(file + ": reading the checkpoint exhausted this JVM's memory", e);
        }
        if (all.length < MAGIC_V2.length + 8
                || !Arrays.equals(all, 0, MAGIC_PREFIX.length, MAGIC_PREFIX, 0, MAGIC_PREFIX.length)) {
            throw new ConfigurationException(file + ": not an rnn checkpoint");
        }
        boolean v1 = Arrays.equals(all, 0, MAGIC_V1.length, MAGIC_V1, 0, MAGIC_V1.length);
        boolean v2 = Arrays.equals(all, 0, MAGIC_V2.length, MAGIC_V2, 0, MAGIC_V2.length);
        if (!v1 && !v2) {
            throw new ConfigurationException(file + ": the checkpoint was written by another version of rnn (format "
                    + (char) all[MAGIC_PREFIX.length] + "); this version reads formats 1 and 2");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new ConfigurationException(file + ": the checkpoint is corrupt or truncated (checksum mismatch)");
        }
        ByteBuffer in = ByteBuffer.wrap(all, MAGIC_V2.length, all.length - 8 - MAGIC_V2.length);
        try {
            Checkpoint c = v2 ? readV2(in) : readV1(in);
            if (in.hasRemaining()) {
                throw new ConfigurationException(
                        file + ": the checkpoint has " + in.remaining() + " unexpected bytes at its end");
            }
            if (c.iteration() < 0) {
                throw new ConfigurationException(
                        file + ": the checkpoint's iteration is negative (" + c.iteration() + ")");
            }
            return c;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new ConfigurationException(
                    file + ": the checkpoint is damaged (a length field points beyond its end)");
        } catch (DamagedHeader e) {
            throw new ConfigurationException(file + ": the checkpoint's header is damaged (it " + e.getMessage() + ")");
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(
                    file + ": the checkpoint's header is damaged (" + Json.describe(e, "header") + ")");
        }
    }

    private static Checkpoint readV2(ByteBuffer in) throws JsonProcessingException {
        JsonNode h = Json.MAPPER.readTree(new String(readBytes(in), StandardCharsets.UTF_8));
        if (!(h instanceof ObjectNode header)) {
            throw new DamagedHeader("is not a JSON object");
        }
        requireField(
                header,
                "iteration",
                n -> n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0,
                "a whole number 0 or more");
        requireField(header, "config", JsonNode::isObject, "an object");
        for (String size : List.of("input_size", "output_size")) {
            if (header.has(size)) {
                requireField(header, size, n -> n.isInt() && n.asInt() >= 1, "a whole number 1 or more");
            }
        }
        if (header.has("task_loss")) {
            requireField(header, "task_loss", JsonNode::isTextual, "a string");
        }
        if (header.has("vocabulary")) {
            requireField(
                    header,
                    "vocabulary",
                    n -> n.isArray() && allSymbols(n),
                    "an array of distinct one-character strings");
            int v = header.get("vocabulary").size();
            if (v > 0 && header.has("input_size") && header.get("input_size").asInt() != v) {
                throw new DamagedHeader("has " + v + " vocabulary symbols for an input size of "
                        + header.get("input_size").asInt());
            }
        }
        if (header.has("plugins")) {
            requireField(header, "plugins", n -> n.isArray() && allPluginRecords(n), "an array of plugin records");
        }
        if (header.has("extra")) {
            requireField(header, "extra", JsonNode::isObject, "an object");
        }
        return new Checkpoint(header, readFloats(in), readState(in), readState(in));
    }

    private static void requireField(
            ObjectNode header, String field, java.util.function.Predicate<JsonNode> ok, String what) {
        JsonNode n = header.get(field);
        if (n == null || !ok.test(n)) {
            throw new DamagedHeader(
                    n == null ? "lacks the field '" + field + "'" : "has a field '" + field + "' that is not " + what);
        }
    }

    private static boolean allSymbols(JsonNode a) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (JsonNode n : a) {
            if (!n.isTextual() || n.asText().codePointCount(0, n.asText().length()) != 1 || !seen.add(n.asText())) {
                return false;
            }
        }
        return true;
    }

    private static boolean allPluginRecords(JsonNode a) {
        for (JsonNode n : a) {
            if (!n.isObject()
                    || !n.path("family").isTextual()
                    || !n.path("name").isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** A header that parses as JSON but is not what rnn writes. */
    private static final class DamagedHeader extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DamagedHeader(String what) {
            super(what);
        }
    }

    private static Checkpoint readV1(ByteBuffer in) throws JsonProcessingException {
        String config = new String(readBytes(in), StandardCharsets.UTF_8);
        long iteration = in.getLong();
        Map<String, float[]> params = readFloats(in);
        Map<String, Object> opt = readState(in);
        Map<String, Object> pol = readState(in);
        int n = count(in, 4);
        List<String> vocab = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            vocab.add(new String(readBytes(in), StandardCharsets.UTF_8));
        }
        Builder b = new Builder(config, iteration).vocabulary(vocab);
        return new Checkpoint(b.header, params, opt, pol);
    }

    /** A count of items of at least {@code minBytes} each, refused if the rest of the file cannot hold them. */
    private static int count(ByteBuffer in, int minBytes) {
        int n = in.getInt();
        if (n < 0 || (long) n * minBytes > in.remaining()) {
            throw new IllegalArgumentException("count " + n);
        }
        return n;
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(ByteBuffer in) {
        byte[] b = new byte[count(in, 1)];
        in.get(b);
        return b;
    }

    private static void writeFloats(DataOutputStream out, Map<String, float[]> m) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, float[]> e : m.entrySet()) {
            writeBytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
            writeArray(out, e.getValue());
        }
    }

    private static void writeArray(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        // In chunks through a byte buffer: one call per float would take seconds for large models.
        ByteBuffer chunk = ByteBuffer.allocate(4 * Math.min(v.length, 16384));
        for (int i = 0; i < v.length; i += 16384) {
            int n = Math.min(16384, v.length - i);
            chunk.clear();
            chunk.asFloatBuffer().put(v, i, n);
            out.write(chunk.array(), 0, 4 * n);
        }
    }

    private static float[] readArray(ByteBuffer in) {
        float[] v = new float[count(in, 4)];
        in.asFloatBuffer().get(v);
        in.position(in.position() + 4 * v.length);
        return v;
    }

    private static Map<String, float[]> readFloats(ByteBuffer in) {
        int n = count(in, 8);
        Map<String, float[]> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = new String(readBytes(in), StandardCharsets.UTF_8);
            if (m.put(name, readArray(in)) != null) {
                throw new IllegalArgumentException("duplicate " + name);
            }
        }
        return m;
    }

    private static void writeState(DataOutputStream out, Map<String, Object> m) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, Object> e : m.entrySet()) {
            writeBytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
            if (e.getValue() instanceof float[] f) {
                out.writeByte(0);
                writeArray(out, f);
            } else {
                out.writeByte(1);
                out.writeLong((Long) e.getValue());
            }
        }
    }

    private static Map<String, Object> readState(ByteBuffer in) {
        int n = count(in, 5);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String k = new String(readBytes(in), StandardCharsets.UTF_8);
            int type = in.get();
            if (type != 0 && type != 1) {
                throw new IllegalArgumentException("state type " + type);
            }
            m.put(k, type == 0 ? readArray(in) : (Object) in.getLong());
        }
        return m;
    }
}

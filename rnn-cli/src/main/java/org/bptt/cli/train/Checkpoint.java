package org.bptt.cli.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.StateSink;
import org.bptt.api.plugin.StateSource;
import org.bptt.api.plugin.Stateful;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;

/**
 * A training checkpoint: the run's configuration (JSON), the iteration reached, every
 * parameter, the optimizer's and the gradient policy's state, and the task's vocabulary,
 * followed by a CRC-32 of all of it. Random state needs no saving: each iteration's data
 * generator is derived from (seed, iteration), so a resumed run draws the same batches.
 *
 * <p>Layout: magic "RNNCKPT1", then DataOutput fields, then the checksum (8 bytes).
 */
public final class Checkpoint {
    private static final byte[] MAGIC = "RNNCKPT1".getBytes(StandardCharsets.US_ASCII);

    final String configJson;
    final long iteration;
    final Map<String, float[]> params;
    final Map<String, Object> optimizerState;
    final Map<String, Object> policyState;
    final List<String> vocabulary;

    Checkpoint(String configJson, long iteration, Map<String, float[]> params, Map<String, Object> optimizerState,
               Map<String, Object> policyState, List<String> vocabulary) {
        this.configJson = configJson;
        this.iteration = iteration;
        this.params = params;
        this.optimizerState = optimizerState;
        this.policyState = policyState;
        this.vocabulary = vocabulary;
    }

    public String configJson() { return configJson; }
    public long iteration() { return iteration; }
    public List<String> vocabulary() { return vocabulary; }

    /** Captures the live state of a run (copies everything). */
    static Checkpoint capture(String configJson, long iteration, ParameterSet params, Stateful optimizer, Stateful policy,
                              List<String> vocabulary) {
        Map<String, float[]> p = new LinkedHashMap<>();
        for (Tensor t : params) {
            p.put(t.name(), t.data().clone());
        }
        return new Checkpoint(configJson, iteration, p, collect(optimizer), collect(policy), List.copyOf(vocabulary));
    }

    private static Map<String, Object> collect(Stateful s) {
        Map<String, Object> m = new LinkedHashMap<>();
        s.saveState(new StateSink() {
            @Override public void putFloats(String key, float[] values) { m.put(key, values.clone()); }
            @Override public void putLong(String key, long value) { m.put(key, value); }
        });
        return m;
    }

    /** Copies the stored state into a freshly built run of the same configuration. */
    void restore(ParameterSet target, Stateful optimizer, Stateful policy, String file) {
        for (Tensor t : target) {
            float[] v = params.get(t.name());
            if (v == null || v.length != t.size()) {
                throw new ConfigurationException(file + ": checkpoint does not match the model (parameter " + t.name()
                        + (v == null ? " is missing" : " has " + v.length + " values, the model needs " + t.size()) + ")");
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
                    throw new ConfigurationException(file + ": checkpoint's " + what + " state '" + key
                            + "' is missing or has the wrong size");
                }
                System.arraycopy(v, 0, into, 0, v.length);
            }

            @Override
            public long getLong(String key) {
                if (!(m.get(key) instanceof Long v)) {
                    throw new ConfigurationException(file + ": checkpoint's " + what + " state '" + key + "' is missing");
                }
                return v;
            }
        };
    }

    /** Writes atomically: a reader sees the previous checkpoint or this one, never a mix. */
    void write(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            writeString(out, configJson);
            out.writeLong(iteration);
            writeFloats(out, params);
            writeState(out, optimizerState);
            writeState(out, policyState);
            out.writeInt(vocabulary.size());
            for (String v : vocabulary) {
                writeString(out, v);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        DataOutputStream tail = new DataOutputStream(bytes);
        tail.writeLong(crc.getValue());
        tail.flush();
        AtomicFiles.write(file, bytes.toByteArray());
    }

    /** Reads and validates; any damage is a {@link ConfigurationException} naming the file. */
    public static Checkpoint read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(file + ": no such checkpoint");
        } catch (IOException e) {
            throw new ConfigurationException(file + ": the checkpoint cannot be read (" + e.getMessage() + ")");
        }
        if (all.length < MAGIC.length + 8 || !java.util.Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ConfigurationException(file + ": not an rnn checkpoint (bad header)");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = java.nio.ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new ConfigurationException(file + ": the checkpoint is corrupt or truncated (checksum mismatch)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, MAGIC.length, all.length - 8 - MAGIC.length))) {
            String config = readString(in);
            long iteration = in.readLong();
            Map<String, float[]> params = readFloats(in);
            Map<String, Object> opt = readState(in);
            Map<String, Object> pol = readState(in);
            int n = in.readInt();
            List<String> vocab = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                vocab.add(readString(in));
            }
            return new Checkpoint(config, iteration, params, opt, pol, vocab);
        } catch (EOFException | NegativeArraySizeException e) {
            throw new ConfigurationException(file + ": the checkpoint is truncated");
        } catch (IOException e) {
            throw new ConfigurationException(file + ": the checkpoint cannot be read (" + e.getMessage() + ")");
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeFloats(DataOutputStream out, Map<String, float[]> m) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, float[]> e : m.entrySet()) {
            writeString(out, e.getKey());
            writeArray(out, e.getValue());
        }
    }

    private static void writeArray(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    private static float[] readArray(DataInputStream in) throws IOException {
        float[] v = new float[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }

    private static Map<String, float[]> readFloats(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, float[]> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(readString(in), readArray(in));
        }
        return m;
    }

    private static void writeState(DataOutputStream out, Map<String, Object> m) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, Object> e : m.entrySet()) {
            writeString(out, e.getKey());
            if (e.getValue() instanceof float[] f) {
                out.writeByte(0);
                writeArray(out, f);
            } else {
                out.writeByte(1);
                out.writeLong((Long) e.getValue());
            }
        }
    }

    private static Map<String, Object> readState(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String k = readString(in);
            int type = in.readByte();
            m.put(k, type == 0 ? readArray(in) : (Object) in.readLong());
        }
        return m;
    }
}

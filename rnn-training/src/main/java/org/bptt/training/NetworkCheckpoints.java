package org.bptt.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;

/**
 * A network to and from its checkpoint: what is saved beside the parameters and the optimizer's
 * and policy's state (the plugins' origins, the schedule's state, a stateful run's carried
 * state), and the rebuilding of a network from one, refusing in one sentence what cannot be
 * loaded here. {@link Network#checkpoint} and {@link Network#load} are its public face.
 */
final class NetworkCheckpoints {
    /** The checkpoint field holding the carried state of stateful training. */
    static final String STREAM_STATE = "stream_state";

    private NetworkCheckpoints() {}

    /** The plugins this network is made of, with where each came from, for a checkpoint. */
    static List<Checkpoint.PluginRecord> pluginRecords(Network net) {
        Map<PluginFamily, PluginChoice> used = new LinkedHashMap<>();
        used.put(PluginFamily.TASK, net.config().task());
        used.put(PluginFamily.CELL, net.config().cell());
        used.put(
                PluginFamily.LOSS,
                net.config().loss() == null
                        ? PluginChoice.of(net.taskLoss())
                        : net.config().loss());
        used.put(PluginFamily.OPTIMIZER, net.config().optimizer());
        used.put(PluginFamily.POLICY, net.config().policy());
        used.put(PluginFamily.TRUNCATION, net.config().truncation());
        used.put(PluginFamily.INITIALIZER, net.config().initializer());
        List<Checkpoint.PluginRecord> l = new ArrayList<>();
        used.forEach((family, choice) -> {
            PluginFactory<?> f = net.plugins().registry(family).all().get(choice.name());
            if (f != null) {
                var o = net.plugins().origin(f);
                l.add(new Checkpoint.PluginRecord(
                        family.singular(), choice.name(), o.describe(), o.version(), o.outside()));
            }
        });
        return l;
    }

    /** The checkpoint of this network as it is now (front ends add their own fields before writing). */
    static Checkpoint.Builder checkpoint(Network net) {
        BpttTrainer trainer = net.trainer();
        Checkpoint.Builder b = new Checkpoint.Builder(net.configJson(), trainer.iteration())
                .sizes(net.inputSize(), net.outputSize(), net.taskLoss())
                .vocabulary(net.vocabulary())
                .state(trainer.model().params(), trainer.optimizer(), trainer.policy());
        pluginRecords(net).forEach(b::plugin);
        if (trainer.schedule() != null) {
            b.extra(SCHEDULE_STATE, scheduleJson(trainer));
        }
        if (net.config().stateful()) {
            // Exact bits, so that a resumed stream continues as an uninterrupted one would.
            float[] state = net.streamState();
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * state.length);
            bytes.asFloatBuffer().put(state);
            var node = Json.MAPPER.createObjectNode();
            node.put("floats", state.length);
            node.put("base64", java.util.Base64.getEncoder().encodeToString(bytes.array()));
            b.extra(STREAM_STATE, node);
        }
        return b;
    }

    /** The checkpoint field holding the schedule's state (absent: the schedule's initial state). */
    static final String SCHEDULE_STATE = "schedule_state";

    private static com.fasterxml.jackson.databind.JsonNode scheduleJson(BpttTrainer trainer) {
        var state = Json.MAPPER.createObjectNode();
        trainer.schedule().saveState(new org.bptt.api.plugin.StateSink() {
            @Override
            public void putFloats(String key, float[] values) {
                var a = state.putArray(key);
                for (float v : values) {
                    a.add(Float.floatToRawIntBits(v));
                }
            }

            @Override
            public void putLong(String key, long value) {
                state.put(key, value);
            }
        });
        return state;
    }

    private static void restoreSchedule(
            BpttTrainer trainer, com.fasterxml.jackson.databind.JsonNode state, String source) {
        if (state.isMissingNode() || trainer.schedule() == null) {
            return;
        }
        trainer.schedule().loadState(new org.bptt.api.plugin.StateSource() {
            @Override
            public void getFloats(String key, float[] into) {
                var a = state.path(key);
                if (!a.isArray() || a.size() != into.length) {
                    throw new ConfigurationException(source + ": the checkpoint's schedule state '" + key
                            + "' is missing or has the wrong size");
                }
                for (int i = 0; i < into.length; i++) {
                    into[i] = Float.intBitsToFloat(a.get(i).asInt());
                }
            }

            @Override
            public long getLong(String key) {
                if (!state.path(key).canConvertToLong()) {
                    throw new ConfigurationException(
                            source + ": the checkpoint's schedule state '" + key + "' is missing");
                }
                return state.get(key).asLong();
            }
        });
    }

    /** Loads a saved network (a checkpoint file, or a run folder holding {@code checkpoint.bin}). */
    static Network load(Path path, Plugins plugins) {
        Path file = Files.isDirectory(path) ? path.resolve("checkpoint.bin") : path;
        Checkpoint ckpt = Checkpoint.read(file);
        return load(ckpt, ckpt.config(file.toString()), file.toString(), plugins, 1);
    }

    /**
     * Rebuilds the network a checkpoint holds with {@code config}, which may differ from the
     * checkpoint's own only in the number of iterations and threads (how far a run goes and how
     * fast, never what it computes); {@code steps} sizes the memory estimate.
     */
    static Network load(Checkpoint ckpt, RunConfig config, String source, Plugins plugins, int steps) {
        RunConfig saved = ckpt.config(source, plugins);
        if (!config.withIterations(0)
                .withThreads(1)
                .equals(saved.withIterations(0).withThreads(1))) {
            throw new IllegalArgumentException(
                    "the configuration differs from the checkpoint's in more than iterations and threads");
        }
        RunConfig cfg = config.validate();
        int in = ckpt.inputSize();
        int out = ckpt.outputSize();
        String loss = ckpt.taskLoss();
        if (in < 1 || out < 1 || loss == null) {
            // rnn 0.1 checkpoints record no sizes: a character model's come from its vocabulary, others' from the task.
            if (!ckpt.vocabulary().isEmpty()) {
                in = ckpt.vocabulary().size();
                out = in;
                loss = "ce";
            } else {
                Task task = plugins.create(PluginFamily.TASK, cfg.task());
                in = task.inputSize();
                out = task.outputSize();
                loss = task.defaultLoss();
            }
        }
        Network n;
        try {
            n = Network.restored(
                    cfg, plugins, in, out, loss, ckpt.vocabulary(), Math.max(1, steps), steps > 1 ? cfg.batch() : 1);
        } catch (ConfigurationException e) {
            // Everything the network is built from came from the checkpoint: say so.
            throw e.getMessage().startsWith(source) ? e : new ConfigurationException(source + ": " + e.getMessage());
        }
        ckpt.restore(
                n.trainer().model().params(),
                n.trainer().optimizer(),
                n.trainer().policy(),
                source);
        n.trainer().setIteration(ckpt.iteration());
        restoreSchedule(n.trainer(), ckpt.extra(SCHEDULE_STATE), source);
        if (cfg.stateful()) {
            restoreStreamState(n, ckpt.extra(STREAM_STATE), source);
        }
        return n;
    }

    private static void restoreStreamState(Network net, com.fasterxml.jackson.databind.JsonNode node, String source) {
        float[] state = net.streamState();
        if (node.isMissingNode() && net.iteration() == 0) {
            return; // nothing trained yet: the streams start at zero
        }
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(node.path("base64").asText(""));
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length != 4 * state.length || node.path("floats").asLong(-1) != state.length) {
            throw new ConfigurationException(
                    source + ": the checkpoint of a stateful run does not hold the carried state of "
                            + net.config().batch() + " streams (" + state.length + " floats)");
        }
        java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(state);
    }
}

package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;
import org.bptt.api.data.Task;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.Tensor;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stateful training: the text as B streams in chunks of T, each chunk starting from the state
 * the previous one ended in. Checked against an independent path — truncated BPTT with windows
 * of T over the whole stream as one long sequence, which carries the state inside one forward
 * pass and updates after every window — bit for bit; resumed from a checkpoint bit for bit
 * (and not when the saved state is wiped, which shows the state is what carries); refused for a
 * task without streams and for a text too short; its setting read from old configurations as off.
 */
final class TestStatefulTraining {
    private static final int T = 10;
    private static final int B = 3;

    private static Network.Builder stateful(String backend) {
        return Network.builder()
                .task("text", "steps", Integer.toString(T))
                .hidden(16)
                .batch(B)
                .seed(11)
                .optimizer("adam", "lr", "0.01")
                .policy("clip-norm", "threshold", "0.5")
                .backend(backend)
                .checkpointEvery(0)
                .diagnosticsEvery(1000)
                .stateful(true);
    }

    private static float[][] params(Network n) {
        float[][] p = new float[n.model().params().count()][];
        int i = 0;
        for (Tensor t : n.model().params()) {
            p[i++] = t.data().clone();
        }
        return p;
    }

    @ParameterizedTest(name = "{0} backend")
    @ValueSource(strings = {"scalar", "simd"})
    void chunksWithTheStateCarriedEqualTruncatedBpttOverTheWholeStream(String backend) throws IOException {
        int chunks = 7;
        Network net = stateful(backend).build();
        net.fit(chunks, FitListener.NONE);

        // The reference: one sequence of chunks·T steps per stream, TBPTT(T, T) with an update after every window.
        Network ref = stateful(backend)
                .stateful(false)
                .truncation("tbptt", "k1", Integer.toString(T))
                .updatePerWindow(true)
                .build();
        Task task = net.task();
        Batch chunk = task.newBatch(B);
        int in = task.inputSize();
        float[] x = new float[chunks * T * B * in];
        int[] classes = new int[chunks * T * B];
        for (int c = 0; c < chunks; c++) {
            assertEquals(c > 0, task.fillChunk(chunk, c), "chunk " + c + " continues the previous one");
            System.arraycopy(chunk.x(), 0, x, c * T * B * in, T * B * in);
            System.arraycopy(chunk.targets().classes(), 0, classes, c * T * B, T * B);
        }
        Batch whole = new Batch(B, chunks * T, in, x, Targets.classes(classes), Batch.allSteps(chunks * T), null);
        ref.trainer().trainStep(whole);

        float[][] a = params(net);
        float[][] b = params(ref);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(b[i], a[i], "parameter " + i + " after " + chunks + " chunks on " + backend);
        }
        // The carried state is the long sequence's state at its last step.
        float[] last = Arrays.copyOfRange(ref.trainer().states(), chunks * T * B * 16, (chunks * T + 1) * B * 16);
        assertArrayEquals(last, net.carriedState());
        assertFalse(Arrays.equals(last, new float[last.length]), "a state that is not zero");
    }

    @Test
    void aResumedStreamContinuesBitForBit(@TempDir Path dir) throws IOException {
        Network straight = stateful("auto").build();
        straight.fit(12, FitListener.NONE);

        Network first = stateful("auto").build();
        first.fit(6, FitListener.NONE);
        Path file = dir.resolve("half.ckpt");
        first.save(file);
        Network resumed = Network.load(file, first.plugins());
        assertArrayEquals(first.carriedState(), resumed.carriedState());
        resumed.fit(6, FitListener.NONE);
        float[][] a = params(straight);
        float[][] b = params(resumed);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "parameter " + i);
        }
        assertArrayEquals(straight.carriedState(), resumed.carriedState());

        // The same checkpoint with the carried state wiped: the stream restarts from zero, and the run differs.
        ObjectNode zeros = Json.MAPPER.createObjectNode();
        zeros.put("floats", B * 16);
        zeros.put("base64", java.util.Base64.getEncoder().encodeToString(new byte[4 * B * 16]));
        Path wiped = dir.resolve("wiped.ckpt");
        first.checkpoint().extra("stream_state", zeros).capture().write(wiped);
        Network forgetful = Network.load(wiped, first.plugins());
        forgetful.fit(6, FitListener.NONE);
        assertFalse(
                Arrays.equals(params(straight)[1], params(forgetful)[1]), "W is the same without the carried state");

        // A stateful checkpoint without its state is refused.
        Path missing = dir.resolve("missing.ckpt");
        Checkpoint.Builder cb = first.checkpoint();
        cb.extra("stream_state", Json.MAPPER.createObjectNode());
        cb.capture().write(missing);
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> Network.load(missing, first.plugins()));
        assertTrue(e.getMessage().contains("carried state"), e.getMessage());
    }

    @Test
    void aNewPassOverTheStreamsStartsFromZero() throws IOException {
        Network net = stateful("auto").build();
        Task task = net.task();
        long perPass = task.streamSteps(B) / T;
        assertTrue(perPass >= 2, "the embedded text holds several chunks per stream: " + perPass);
        Batch b = task.newBatch(B);
        assertFalse(task.fillChunk(b, perPass), "chunk " + perPass + " starts the second pass");
        assertTrue(task.fillChunk(b, perPass + 1));
        // Train to the end of the first pass: the next chunk starts from zero, so its state equals a fresh forward
        // pass.
        net.fit(perPass, FitListener.NONE);
        assertFalse(Arrays.equals(net.carriedState(), new float[B * 16]));
        task.fillChunk(b, perPass);
        Batch fromZero = new Batch(B, T, b.inputSize(), b.x(), b.targets(), b.lossSteps(), null);
        net.trainer().forward(fromZero);
        float[] expected = Arrays.copyOfRange(net.trainer().states(), T * B * 16, (T + 1) * B * 16);
        net.fit(1, FitListener.NONE);
        // fit's forward ran from zero with the same parameters, and the state carried is its final one.
        assertArrayEquals(expected, net.carriedState());
    }

    @Test
    void tasksWithoutStreamsAndTooShortTextsAreRefused(@TempDir Path dir) throws IOException {
        ConfigurationException e = assertThrows(
                ConfigurationException.class,
                () -> Network.builder()
                        .task("adding", "steps", "10")
                        .stateful(true)
                        .build());
        assertTrue(e.getMessage().contains("cannot be trained statefully"), e.getMessage());
        Path tiny = dir.resolve("tiny.txt");
        java.nio.file.Files.writeString(tiny, "abcabcabcabcabcabcabcabcabcabc"); // 30 characters
        e = assertThrows(
                ConfigurationException.class,
                () -> Network.builder()
                        .task("text", "text", tiny.toString(), "steps", "10")
                        .batch(3)
                        .stateful(true)
                        .build());
        assertTrue(e.getMessage().contains("fewer than one chunk"), e.getMessage());
        // Two streams of 15 characters hold one chunk of 10 steps each.
        Network ok = Network.builder()
                .task("text", "text", tiny.toString(), "steps", "10")
                .batch(2)
                .stateful(true)
                .build();
        assertEquals(FitResult.Outcome.FINISHED, ok.fit(3, FitListener.NONE).outcome());
    }

    @Test
    void configurationsWithoutTheSettingReadAsNotStateful() {
        RunConfig on = RunConfig.defaults().toBuilder().stateful(true).build();
        String json = Json.write(on);
        assertTrue(json.contains("\"stateful\" : true"), json);
        assertTrue(Json.parse(json, "test").stateful());
        String old = json.replaceAll(",\\s*\"stateful\" : true", "");
        assertFalse(old.contains("stateful"), old);
        assertFalse(Json.parse(old, "test").stateful());
        assertEquals(RunConfig.defaults(), Json.parse(Json.write(RunConfig.defaults()), "test"));
        assertThrows(
                ConfigurationException.class,
                () -> Json.parse(json.replace("\"stateful\" : true", "\"stateful\" : \"yes\""), "test"));
    }
}

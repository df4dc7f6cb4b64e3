package org.bptt.plugins.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.bptt.api.init.Initializer;
import org.bptt.api.init.InitializerFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.ParameterSpec.Role;
import org.bptt.api.tensor.Structure;
import org.bptt.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Initializers told what they initialize: a diagonal recurrence (IndRNN's vector w) gets what
 * the scheme promises or a one-sentence refusal — never the silent Xavier fallback that once
 * gave w U(−1.73, 1.73) under identity — and gate blocks are filled as before.
 */
final class TestInitializerStructures {

    private static Initializer init(String name, String... kv) {
        InitializerFactory f = ServiceLoader.load(InitializerFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals(name))
                .findFirst()
                .orElseThrow();
        PluginOptions o = PluginOptions.empty(name);
        for (int i = 0; i < kv.length; i += 2) {
            o = o.with(kv[i], kv[i + 1]);
        }
        return f.create(o);
    }

    private static final ParameterSpec W = new ParameterSpec("w", 1, 8, Role.RECURRENT_WEIGHTS, 8, 8);

    @Test
    void identityAndOrthogonalGiveADiagonalRecurrenceItsPromise() {
        Tensor t = W.newTensor();
        init("identity", "gain", "0.9").initialize(W, Structure.DIAGONAL, t, new SplittableRandom(1));
        for (float v : t.data()) {
            assertEquals(0.9f, v);
        }
        init("orthogonal", "gain", "2").initialize(W, Structure.DIAGONAL, t, new SplittableRandom(1));
        int negative = 0;
        for (float v : t.data()) {
            assertEquals(2f, Math.abs(v)); // every |eigenvalue| of diag(w) is the gain
            negative += v < 0 ? 1 : 0;
        }
        assertTrue(negative > 0 && negative < 8, "signs are drawn: " + negative + " negative of 8");
    }

    @Test
    void whatASchemeDoesNotUnderstandIsRefusedWithOneSentence() {
        for (String name : new String[] {"xavier", "spectral"}) {
            ConfigurationException e = assertThrows(
                    ConfigurationException.class,
                    () -> init(name).initialize(W, Structure.DIAGONAL, W.newTensor(), new SplittableRandom(1)));
            assertTrue(
                    e.getMessage().contains("parameter w (1×8, a diagonal recurrence)")
                            && e.getMessage().contains("uniform"),
                    e.getMessage());
        }
        // A cell that declares nothing: the vector's shape alone says nothing, so identity refuses rather than guess.
        ConfigurationException e = assertThrows(
                ConfigurationException.class,
                () -> init("identity").initialize(W, W.newTensor(), new SplittableRandom(1)));
        assertTrue(
                e.getMessage()
                        .startsWith("the initializer identity(gain=1.0) cannot initialize the recurrent parameter w"),
                e.getMessage());
        // The element-wise scheme takes any shape.
        Tensor t = W.newTensor();
        init("uniform").initialize(W, Structure.DIAGONAL, t, new SplittableRandom(1));
        assertTrue(Math.abs(t.data()[0]) > 0 && Math.abs(t.data()[0]) <= 1 / Math.sqrt(8));
    }

    @Test
    void gateBlocksAreFilledAsBefore() {
        ParameterSpec gates = new ParameterSpec("weight_hh", 12, 4, Role.RECURRENT_WEIGHTS, 4, 4);
        Tensor declared = gates.newTensor();
        Tensor inferred = gates.newTensor();
        init("orthogonal").initialize(gates, Structure.BLOCKS, declared, new SplittableRandom(5));
        init("orthogonal").initialize(gates, inferred, new SplittableRandom(5));
        assertArrayEquals(inferred.data(), declared.data());
        // Each 4×4 block is orthogonal: its rows have unit norm.
        for (int r = 0; r < 12; r++) {
            double s = 0;
            for (int c = 0; c < 4; c++) {
                s += declared.get(r, c) * declared.get(r, c);
            }
            assertEquals(1.0, s, 1e-6);
        }
    }
}

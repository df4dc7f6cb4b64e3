package org.bptt.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellContext;
import org.bptt.api.cell.CellRunner;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.ParameterSpec.Role;
import org.bptt.api.tensor.Structure;
import org.bptt.api.tensor.Tensor;
import org.bptt.training.diag.Spectral;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;
import org.junit.jupiter.api.Test;

/**
 * A cell with a diagonal recurrence (IndRNN's w ⊙ h) that declares it: the identity
 * initializer gives w = gain, its spectrum is ρ = max|w_i| (the eigenvalues of diag(w)), per
 * layer in a stack too; the same cell declaring nothing is refused by name.
 */
final class TestDiagonalRecurrence {

    /** Only its parameters and structure matter here: it is never run. */
    private static Cell indRnn(boolean declares) {
        return new Cell() {
            @Override
            public List<ParameterSpec> parameters(int in, int hid) {
                return List.of(
                        new ParameterSpec("U", hid, in, Role.INPUT_WEIGHTS, in, hid),
                        new ParameterSpec("w", 1, hid, Role.RECURRENT_WEIGHTS, 1, hid),
                        new ParameterSpec("b", 1, hid, Role.BIAS, 1, hid));
            }

            @Override
            public Structure structure(ParameterSpec spec) {
                return declares && spec.name().equals("w") ? Structure.DIAGONAL : Cell.super.structure(spec);
            }

            @Override
            public CellRunner bind(CellContext ctx) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String describe() {
                return "indrnn";
            }
        };
    }

    @Test
    void aDiagonalRecurrenceIsInitializedAndMeasuredAsOne() {
        Plugins plugins = Plugins.discover();
        org.bptt.api.init.Initializer identity =
                plugins.create(PluginFamily.INITIALIZER, new PluginChoice("identity", java.util.Map.of("gain", "0.9")));
        Model m = new Model(indRnn(true), 3, 4, 2);
        m.initialize(identity, new SplittableRandom(1));
        float[] w = m.params().get("w").data();
        for (float v : w) {
            assertEquals(0.9f, v);
        }
        System.arraycopy(new float[] {0.5f, -1.25f, 0.25f, 0.125f}, 0, w, 0, 4);
        Tensor d = m.recurrentMatrix().orElseThrow();
        assertEquals(4, d.rows());
        assertEquals(-1.25f, d.get(1, 1));
        assertEquals(0f, d.get(0, 1));
        assertEquals(1.25, Spectral.of(d).radius(), 1e-12);

        Model stacked = new Model(new LayerStack(indRnn(true), Layers.of(2), 1), 3, 4, 2);
        stacked.initialize(identity, new SplittableRandom(1));
        stacked.params().get("w_l1").data()[2] = 3f;
        assertEquals(
                0.9, Spectral.of(stacked.recurrentMatrix(0, 0).orElseThrow()).radius(), 1e-6);
        assertEquals(
                3.0, Spectral.of(stacked.recurrentMatrix(1, 0).orElseThrow()).radius(), 1e-12);

        ConfigurationException e = assertThrows(
                ConfigurationException.class,
                () -> new Model(indRnn(false), 3, 4, 2).initialize(identity, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("cannot initialize the recurrent parameter w (1×4"), e.getMessage());
    }
}

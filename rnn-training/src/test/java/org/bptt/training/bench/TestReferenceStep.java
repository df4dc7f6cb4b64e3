package org.bptt.training.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bptt.api.data.Batch;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.LossMean;
import org.bptt.training.bench.ReferenceStep.Workload;
import org.junit.jupiter.api.Test;

/** The shared reference step: its flop count, its batch and its configuration. */
final class TestReferenceStep {

    @Test
    void flopsFollowTheReferenceScriptsFormula() {
        // Worked by hand from forward = T·B·(2H(I+H) + 2OH), step = 3 × forward, e.g. W1-64:
        // 3200 rows × (2·64·128 + 2·64·64 = 16384 + 8192 = 24576) = 78 643 200; the same numbers
        // come out of flops_per_step in torch_rnn_step.py.
        assertEquals(78_643_200L, Workload.named("W1-64").forwardFlops());
        assertEquals(235_929_600L, Workload.named("W1-64").stepFlops());
        // 3200 × (2·256·320 + 2·64·256 = 163840 + 32768)
        assertEquals(629_145_600L, Workload.named("W1-256").forwardFlops());
        assertEquals(1_887_436_800L, Workload.named("W1-256").stepFlops());
        // 3200 × (2·1024·1088 + 2·64·1024 = 2228224 + 131072): beyond int, the count is a long.
        assertEquals(7_549_747_200L, Workload.named("W1-1024").forwardFlops());
        assertEquals(22_649_241_600L, Workload.named("W1-1024").stepFlops());
        // 25 × (2·128·193 + 2·65·128 = 49408 + 16640)
        assertEquals(1_651_200L, Workload.named("W2").forwardFlops());
        assertEquals(4_953_600L, Workload.named("W2").stepFlops());
        // I=1 H=1 O=1 B=1 T=1: 2·1·2 + 2·1·1 = 6.
        assertEquals(6L, new Workload(1, 1, 1, 1, 1, false).forwardFlops());
    }

    @Test
    void theNamedWorkloadsHaveTheScriptsSizes() {
        assertEquals(new Workload(64, 1024, 64, 32, 100, false), Workload.named("W1-1024"));
        assertEquals(new Workload(65, 128, 65, 1, 25, true), Workload.named("W2"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Workload.named("W3"));
        assertTrue(e.getMessage().contains("W1-64, W1-256, W1-1024, W2"), e.getMessage());
    }

    @Test
    void oneHotBatchHasExactlyOneOnePerRow() {
        Workload w = new Workload(7, 5, 3, 4, 6, true);
        Batch b = ReferenceStep.batch(w, 3);
        for (int row = 0; row < 24; row++) {
            float sum = 0;
            int ones = 0;
            for (int i = 0; i < 7; i++) {
                float v = b.x()[row * 7 + i];
                sum += v;
                ones += v == 1f ? 1 : 0;
            }
            assertEquals(1f, sum, 0f);
            assertEquals(1, ones);
        }
        assertEquals(6, b.lossStepCount());
        for (int c : b.targets().classes()) {
            assertTrue(c >= 0 && c < 3, "class " + c);
        }
    }

    @Test
    void normalInputsHaveUnitVariance() {
        Batch b = ReferenceStep.batch(new Workload(64, 8, 4, 32, 100, false), 1);
        double sum = 0;
        double sq = 0;
        for (float v : b.x()) {
            sum += v;
            sq += v * v;
        }
        int n = b.x().length; // 204 800 draws: the standard errors of mean and variance are ~0.002 and ~0.003
        assertEquals(0.0, sum / n, 0.01);
        assertEquals(1.0, sq / n - (sum / n) * (sum / n), 0.02);
    }

    @Test
    void stepsAreTheReferenceConfigurationAndTheLossFalls() {
        ReferenceStep s = ReferenceStep.create(new Workload(8, 16, 10, 4, 20, false), "scalar", 1, 5);
        assertEquals(LossMean.STEP, s.trainer().settings().lossMean());
        assertEquals("clip-norm(threshold=1.0)", s.trainer().policy().describe());
        double first = s.step().loss();
        double last = first;
        for (int i = 0; i < 30; i++) {
            last = s.step().loss();
        }
        assertEquals(31, s.trainer().iteration());
        // Mean cross-entropy of near-zero logits over 10 classes starts close to ln 10 = 2.303 (see TestBenchCommand).
        assertEquals(Math.log(10), first, 0.35);
        assertTrue(last < first, "loss " + first + " -> " + last);
    }

    @Test
    void theStepsFlopsFollowItsCell() {
        Workload w = new Workload(7, 9, 5, 3, 4, false);
        ReferenceStep s = ReferenceStep.create(w, "vanilla", "scalar", 1, 1);
        assertEquals("vanilla(tanh)", s.trainer().model().cell().describe());
        // For the vanilla cell the model's weights give the script's formula: 3·T·B·2·(H·I + H·H + O·H).
        assertEquals(w.stepFlops(), s.stepFlops());
        assertEquals(3L * 4 * 3 * 2 * (9 * 7 + 9 * 9 + 5 * 9), s.stepFlops());
        ConfigurationException e = assertThrows(
                ConfigurationException.class, () -> ReferenceStep.create(w, "no-such-cell", "scalar", 1, 1));
        assertTrue(e.getMessage().startsWith("unknown cell 'no-such-cell'; known: "), e.getMessage());
    }

    @Test
    void sameSeedSameLoss() {
        Workload w = new Workload(5, 6, 4, 3, 7, true);
        double a = ReferenceStep.create(w, "scalar", 1, 9).step().loss();
        double b = ReferenceStep.create(w, "scalar", 1, 9).step().loss();
        assertEquals(a, b, 0.0);
    }
}

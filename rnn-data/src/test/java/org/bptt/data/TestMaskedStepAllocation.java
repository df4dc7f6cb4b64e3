package org.bptt.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.bptt.api.data.Batch;
import org.bptt.training.BpttTrainer;
import org.bptt.training.Network;
import org.junit.jupiter.api.Test;

/** A steady-state training step on a batch with lengths (padding zeroed, loss in runs of rows) allocates nothing. */
final class TestMaskedStepAllocation {
    @Test
    void aStepOnAPaddedBatchAllocatesNothing() {
        Fixtures.Ragged d = Fixtures.ragged(9, 16, 12, 3, 4);
        ArrayTask task = ArrayTask.of(
                new SequenceData(
                        "t",
                        d.n(),
                        d.t(),
                        d.i(),
                        Fixtures.padded(d, 1, 3),
                        d.lengths(),
                        SequenceData.TargetKind.SEQUENCE_CLASSES,
                        4,
                        null,
                        d.labels()),
                null);
        var config = Network.builder()
                .hidden(16)
                .batch(8)
                .backend("scalar")
                .threads(1)
                .config();
        Network net = Network.create(config, task, Fixtures.PLUGINS);
        BpttTrainer trainer = net.trainer();
        Batch batch = task.newBatch(8);
        task.fill(batch, null, 1, 0);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long perStep = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 60_000_000_000L;
        // Time-bounded: on a busy machine the JIT may take a while to compile the step.
        while (perStep > 64 && System.nanoTime() < deadline) {
            for (int k = 0; k < 200; k++) {
                trainer.trainStep(batch);
            }
            long before = mx.getThreadAllocatedBytes(id);
            for (int k = 0; k < 50; k++) {
                trainer.trainStep(batch);
            }
            perStep = (mx.getThreadAllocatedBytes(id) - before) / 50;
        }
        assertTrue(perStep <= 64, "a step on a padded batch allocates " + perStep + " bytes");
    }
}

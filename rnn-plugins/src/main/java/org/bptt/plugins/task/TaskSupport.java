package org.bptt.plugins.task;

import org.bptt.api.data.Batch;
import org.bptt.api.data.Targets;

/** Batch allocation and the shape check every {@code fill} starts with. */
final class TaskSupport {
    /**
     * The longest sequence a task makes: tasks allocate per-step arrays when they are created,
     * and BPTT through more steps is far beyond use (a million steps of H=8 already take 64 MB
     * per sequence of states).
     */
    static final int MAX_STEPS = 1_000_000;

    private TaskSupport() {}

    /** Refuses a sequence longer than {@link #MAX_STEPS}, before the task allocates anything per step. */
    static int requireSteps(String owner, int steps) {
        if (steps > MAX_STEPS) {
            throw new org.bptt.api.plugin.ConfigurationException(
                    owner + ": option 'steps' must be at most " + MAX_STEPS + ", got " + steps);
        }
        return steps;
    }

    /** A zeroed batch; {@code lossSteps} is copied so that a caller cannot alter the task's pattern. */
    static Batch allocate(
            String task, int batchSize, int steps, int inputSize, boolean classes, int width, boolean[] lossSteps) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException(task + ": batch size must be positive, got " + batchSize);
        }
        int rows;
        float[] x;
        try {
            rows = Math.multiplyExact(steps, batchSize);
            x = new float[Math.multiplyExact(rows, inputSize)];
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    task + ": a batch of " + batchSize + " sequences of " + steps + " steps and " + inputSize
                            + " inputs exceeds the largest Java array",
                    e);
        }
        Targets targets;
        if (classes) {
            targets = Targets.classes(new int[rows]);
        } else {
            try {
                targets = Targets.vectors(new float[Math.multiplyExact(rows, width)], width);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(
                        task + ": the targets of " + rows + " rows of width " + width
                                + " exceed the largest Java array",
                        e);
            }
        }
        return new Batch(batchSize, steps, inputSize, x, targets, lossSteps.clone(), null);
    }

    /**
     * Fails unless {@code batch} has this task's shapes, so that a batch made by another task
     * is not silently half-filled. Allocates only on the failure path.
     */
    static void requireShape(Batch batch, String task, int steps, int inputSize, boolean classes, int width) {
        if (batch.steps() != steps
                || batch.inputSize() != inputSize
                || batch.targets().isClasses() != classes
                || batch.targets().width() != width) {
            throw new IllegalArgumentException(task + ": batch has T=" + batch.steps() + " I=" + batch.inputSize()
                    + (batch.targets().isClasses() ? " class" : " vector") + " targets of width "
                    + batch.targets().width() + ", expected T=" + steps + " I=" + inputSize
                    + (classes ? " class" : " vector") + " targets of width " + width
                    + "; allocate it with this task's newBatch");
        }
    }
}

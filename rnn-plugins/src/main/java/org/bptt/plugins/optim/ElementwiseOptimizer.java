package org.bptt.plugins.optim;

import java.util.ArrayList;
import java.util.List;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.optim.Optimizer;
import org.bptt.api.plugin.StateSink;
import org.bptt.api.plugin.StateSource;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;

/**
 * An optimizer whose update of each scalar depends only on that scalar's gradient and its
 * own state slots (moments). Subclasses name their slots and write the per-element rule.
 */
abstract class ElementwiseOptimizer implements Optimizer {
    protected double lr;
    private final String[] slotNames;
    private final List<String> names = new ArrayList<>();
    /** state[tensor][slot] */
    private final List<float[][]> state = new ArrayList<>();
    /** The parameters bound, whose names and shapes every step must match. */
    private ParameterSet bound;

    private long steps;

    ElementwiseOptimizer(double lr, String... slotNames) {
        this.lr = lr;
        this.slotNames = slotNames;
    }

    @Override
    public void bind(ParameterSet params, Kernels kernels) {
        names.clear();
        state.clear();
        bound = params;
        for (Tensor p : params) {
            float[][] slots = new float[slotNames.length][p.size()];
            names.add(p.name());
            state.add(slots);
        }
        steps = 0;
    }

    @Override
    public void step(ParameterSet params, ParameterSet grads) {
        if (state.size() != params.count()) {
            throw new IllegalStateException(describe() + " was bound to " + state.size() + " parameters but got "
                    + params.count() + "; call bind first");
        }
        // Checked before anything is updated, so a mismatch never leaves half an update behind.
        bound.requireMatching(params);
        params.requireMatching(grads);
        steps++;
        beginStep(steps);
        for (int i = 0; i < params.count(); i++) {
            Tensor p = params.get(i);
            update(p.data(), grads.get(i).data(), state.get(i), p.size());
        }
    }

    /** Called once per step before the tensors are updated, with the 1-based step number. */
    protected void beginStep(long step) {}

    /** θ ← rule(θ, g, slots) for n elements. */
    protected abstract void update(float[] theta, float[] g, float[][] slots, int n);

    public long steps() {
        return steps;
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        if (!(lr >= 0 && Double.isFinite(lr))) {
            throw new IllegalArgumentException("a learning rate must be finite and at least 0, got " + lr);
        }
        this.lr = lr;
    }

    @Override
    public boolean hasAdjustableLearningRate() {
        return true;
    }

    @Override
    public void saveState(StateSink sink) {
        sink.putLong("steps", steps);
        for (int i = 0; i < names.size(); i++) {
            for (int s = 0; s < slotNames.length; s++) {
                sink.putFloats(names.get(i) + "." + slotNames[s], state.get(i)[s]);
            }
        }
    }

    @Override
    public void loadState(StateSource source) {
        steps = source.getLong("steps");
        for (int i = 0; i < names.size(); i++) {
            for (int s = 0; s < slotNames.length; s++) {
                source.getFloats(names.get(i) + "." + slotNames[s], state.get(i)[s]);
            }
        }
    }
}

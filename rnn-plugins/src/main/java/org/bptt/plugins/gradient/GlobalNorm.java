package org.bptt.plugins.gradient;

import org.bptt.api.kernel.Kernels;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.Tensor;

/** The L2 norm of all gradients as one vector. */
public final class GlobalNorm {
    private GlobalNorm() {}

    public static double of(ParameterSet grads, Kernels kernels) {
        double s = 0;
        for (int i = 0; i < grads.count(); i++) {
            Tensor g = grads.get(i);
            s += kernels.sumOfSquares(g.size(), g.data(), 0);
        }
        return Math.sqrt(s);
    }
}

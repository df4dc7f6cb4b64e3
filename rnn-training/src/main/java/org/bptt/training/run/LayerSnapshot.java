package org.bptt.training.run;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.Spectral;

/**
 * What one diagnostic iteration measured of each layer of a stacked or bidirectional network:
 * the gradient flow ‖∂L/∂h_k‖ of every layer (both directions of a layer in one norm) and the
 * spectral radius ρ(W) of every layer's and direction's recurrent matrix, NaN where it has no
 * single square W. Immutable (arrays are copied in and out).
 *
 * @param iteration the iteration measured, before its update
 * @param flow      element l: layer l's ‖∂L/∂h_k‖ for k = 0..T−1
 * @param radius    element l·D + d: ρ(W) of layer l, direction d (1: reverse); D = radius.length / flow.size()
 */
public record LayerSnapshot(long iteration, List<double[]> flow, double[] radius) {

    public LayerSnapshot {
        requireNonNull(flow, "flow is null");
        flow = flow.stream().map(double[]::clone).toList();
        radius = radius.clone();
        if (flow.isEmpty() || radius.length % flow.size() != 0) {
            throw new IllegalArgumentException(
                    "a layer snapshot needs one flow per layer and a radius per layer and direction, got " + flow.size()
                            + " flows and " + radius.length + " radii");
        }
    }

    /** The snapshot of the flows {@code Network} hands a listener and the spectra of the same moment. */
    public static LayerSnapshot of(List<GradientFlowSnapshot> layers, List<Spectral> spectra) {
        List<double[]> f = new ArrayList<>();
        for (GradientFlowSnapshot s : layers) {
            f.add(s.hiddenGradNorms());
        }
        double[] r = new double[spectra.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = spectra.get(i) == null ? Double.NaN : spectra.get(i).radius();
        }
        return new LayerSnapshot(layers.get(0).iteration(), f, r);
    }

    @Override
    public List<double[]> flow() {
        return flow.stream().map(double[]::clone).toList();
    }

    @Override
    public double[] radius() {
        return radius.clone();
    }

    /** The number of layers. */
    public int layers() {
        return flow.size();
    }

    /** 2 for a bidirectional network, else 1. */
    public int directions() {
        return radius.length / flow.size();
    }

    /** Layer {@code l}'s gradient flow as a snapshot. */
    public GradientFlowSnapshot layerFlow(int l) {
        return new GradientFlowSnapshot(iteration, flow.get(l));
    }

    /** The name of the recurrent matrix at {@code i} = l·D + d: "layer 0", "layer 1 reverse". */
    public String matrixName(int i) {
        int d = directions();
        return "layer " + i / d + (i % d == 1 ? " reverse" : "");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LayerSnapshot s)
                || s.iteration != iteration
                || !Arrays.equals(s.radius, radius)
                || s.flow.size() != flow.size()) {
            return false;
        }
        for (int i = 0; i < flow.size(); i++) {
            if (!Arrays.equals(s.flow.get(i), flow.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(iteration) * 31 + Arrays.hashCode(radius);
        for (double[] f : flow) {
            h = h * 31 + Arrays.hashCode(f);
        }
        return h;
    }

    @Override
    public String toString() {
        return "LayerSnapshot[iteration=" + iteration + ", layers=" + flow.size() + ", directions=" + directions()
                + "]";
    }
}

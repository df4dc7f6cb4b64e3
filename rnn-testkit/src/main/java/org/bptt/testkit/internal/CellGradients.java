package org.bptt.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import org.bptt.api.cell.CellRunner;
import org.bptt.api.tensor.ParameterSet;
import org.bptt.api.tensor.ParameterSpec;

/**
 * Finite differences of the kit's loss through a cell's forward pass alone, for every
 * parameter element of the cell and every element of a range of state slots.
 *
 * <p>Each coordinate gets two fourth-order central differences, D(e) on offsets ±e, ±2e and
 * D(e/2) on ±e/2, ±e. Where the forward pass is smooth they agree to the float noise; where
 * a ReLU-like kink lies within 2e of the point they do not, and the coordinate cannot be
 * checked by differences at all. Which coordinates are kinked is decided from the forward
 * pass alone, never from the backward pass under test.
 */
final class CellGradients {
    /** Group name of the state entering the window (slot {@code start}). */
    static final String ENTERING = "entering state";
    /** Group name of the states after each step of the window (slots start+1 … lossTo). */
    static final String LATER = "state gradients";

    /** Step of the finite differences; a power of two. */
    static final double STEP = 0x1p-7;

    /** The derivatives of one group of coordinates (a parameter, or a range of state slots). */
    record Group(String name, double[] coarse, double[] fine, boolean[] unused) {}

    private final CellBench bench;
    private final ParameterSet work;
    private final CellRunner runner;
    private final float[] base;
    private final float[] states;
    private int start;
    private int end;
    private int lossFrom;
    private int lossTo;

    /** A runner of its own on a copy of the bench's parameters, and the bench's unperturbed states. */
    CellGradients(CellBench bench) {
        this.bench = bench;
        this.work = bench.params.copy();
        this.runner = bench.bind(work, work.zerosLike());
        this.base = bench.newStates();
        bench.loadEntering(base);
        runner.forward(0, bench.steps, bench.x, base);
        this.states = bench.newStates();
    }

    /**
     * Derivatives of the loss of steps [lossFrom, lossTo), computed forward from slot
     * {@code start} (held at its unperturbed value: the state entering the window), with
     * respect to every cell parameter (one group each, in declaration order), then the
     * entering state (slot {@code start}), then the states of slots start+1 … lossTo.
     */
    List<Group> of(int start, int lossFrom, int lossTo) {
        this.start = start;
        this.end = lossTo;
        this.lossFrom = lossFrom;
        this.lossTo = lossTo;
        List<Group> groups = new ArrayList<>();
        for (ParameterSpec s : bench.specs) {
            float[] p = work.get(s.name()).data();
            int n = p.length;
            double[] coarse = new double[n];
            double[] fine = new double[n];
            boolean[] unused = new boolean[n];
            for (int i = 0; i < n; i++) {
                final int k = i;
                differentiate(
                        p[k],
                        value -> {
                            float keep = p[k];
                            p[k] = value;
                            try {
                                System.arraycopy(base, 0, states, 0, (start + 1) * bench.slot());
                                return lossFromSlot(start);
                            } finally {
                                p[k] = keep;
                            }
                        },
                        coarse,
                        fine,
                        unused,
                        k);
            }
            groups.add(new Group(s.name(), coarse, fine, unused));
        }
        groups.add(states(ENTERING, start, start));
        groups.add(states(LATER, start + 1, lossTo));
        return groups;
    }

    /** Derivatives with respect to every element of slots [first, last] of the states. */
    private Group states(String name, int first, int last) {
        int slot = bench.slot();
        int n = (last - first + 1) * slot;
        double[] coarse = new double[n];
        double[] fine = new double[n];
        boolean[] unused = new boolean[n];
        for (int i = 0; i < n; i++) {
            final int s = first + i / slot;
            final int at = s * slot + i % slot;
            differentiate(
                    base[at],
                    value -> {
                        System.arraycopy(base, 0, states, 0, (s + 1) * slot);
                        states[at] = value;
                        return lossFromSlot(s);
                    },
                    coarse,
                    fine,
                    unused,
                    i);
        }
        return new Group(name, coarse, fine, unused);
    }

    /** Loss after running forward from slot {@code s} of {@link #states} to the end; slots ≤ s already set. */
    private double lossFromSlot(int s) {
        if (s < end) {
            runner.forward(s, end, bench.x, states);
        }
        return bench.loss(states, lossFrom, lossTo);
    }

    /** A loss as a function of one coordinate's float value. */
    private interface Perturbed {
        double at(float value);
    }

    private static void differentiate(float at, Perturbed f, double[] coarse, double[] fine, boolean[] unused, int i) {
        double l0 = f.at(at);
        double[] offsets = {-2, -1, -0.5, 0.5, 1, 2};
        double[] nodes = new double[offsets.length];
        double[] values = new double[offsets.length];
        boolean same = true;
        for (int j = 0; j < offsets.length; j++) {
            float moved = (float) (at + offsets[j] * STEP);
            nodes[j] = (double) moved - at;
            values[j] = f.at(moved);
            same &= values[j] == l0;
        }
        coarse[i] = FiniteDifferences.derivativeAtZero(
                new double[] {nodes[0], nodes[1], 0, nodes[4], nodes[5]},
                new double[] {values[0], values[1], l0, values[4], values[5]});
        fine[i] = FiniteDifferences.derivativeAtZero(
                new double[] {nodes[1], nodes[2], 0, nodes[3], nodes[4]},
                new double[] {values[1], values[2], l0, values[3], values[4]});
        unused[i] = same;
    }
}

package org.bptt.examples.gated.cell;

import java.util.List;

import org.bptt.api.cell.Cell;
import org.bptt.api.cell.CellContext;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.Tensor;

/** A runner reads its parameters as flat arrays: shapes other than the cell's own for I and H must be refused at bind. */
final class Shapes {
    private Shapes() {}

    static void require(String cell, Cell declared, CellContext ctx) {
        for (ParameterSpec spec : declared.parameters(ctx.inputSize(), ctx.hiddenSize())) {
            for (var set : List.of(ctx.params(), ctx.grads())) {
                Tensor t = set.get(spec.name());
                if (t.rows() != spec.rows() || t.cols() != spec.cols()) {
                    throw new IllegalArgumentException(cell + " cell bound to I=" + ctx.inputSize() + ", H=" + ctx.hiddenSize()
                            + " needs " + spec.name() + " of " + spec.rows() + "x" + spec.cols() + ", got " + t);
                }
            }
        }
    }
}

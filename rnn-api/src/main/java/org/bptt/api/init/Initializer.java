package org.bptt.api.init;

import java.util.random.RandomGenerator;
import org.bptt.api.tensor.ParameterSpec;
import org.bptt.api.tensor.Structure;
import org.bptt.api.tensor.Tensor;

/**
 * Fills one parameter before training. Called once per parameter in declaration order with
 * one shared generator, so that a seed fixes every initial value. Stateless.
 */
public interface Initializer {

    /**
     * @param spec   what the parameter is (its role decides the scheme)
     * @param target the tensor to fill; modified
     * @param random the run's generator; advanced
     */
    void initialize(ParameterSpec spec, Tensor target, RandomGenerator random);

    /**
     * As {@link #initialize(ParameterSpec, Tensor, RandomGenerator)}, told the structure the cell
     * declares for the parameter ({@link org.bptt.api.cell.Cell#structure}; {@link Structure#OTHER}
     * for parameters that are not recurrent). The platform calls this one.
     *
     * @throws org.bptt.api.plugin.ConfigurationException with one sentence when the scheme cannot
     *         give a parameter of that structure what it promises
     * @implSpec The default ignores the structure and calls the three-argument method.
     */
    default void initialize(ParameterSpec spec, Structure structure, Tensor target, RandomGenerator random) {
        initialize(spec, target, random);
    }

    /** For reports: {@code orthogonal(gain=1.0)}. */
    String describe();
}

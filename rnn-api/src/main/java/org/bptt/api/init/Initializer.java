package org.bptt.api.init;

import java.util.random.RandomGenerator;

import org.bptt.api.tensor.ParameterSpec;
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

    /** For reports: {@code orthogonal(gain=1.0)}. */
    String describe();
}

package org.bptt.training;

/** How per-step losses are averaged into the batch loss. */
public enum LossMean {
    /** L_batch = mean over sequences of Σ_t L_t (the reference cases' definition). */
    SEQUENCE,
    /** L_batch = mean over sequences and loss steps (PyTorch's CrossEntropyLoss on B·T rows). */
    STEP
}

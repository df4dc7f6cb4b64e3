package org.bptt.training;

/** Training met a NaN or infinite loss or gradient under {@link NonFinitePolicy#STOP}. */
public final class NonFiniteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonFiniteException(String message) {
        super(message);
    }
}

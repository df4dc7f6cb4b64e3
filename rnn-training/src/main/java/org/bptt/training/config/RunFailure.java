package org.bptt.training.config;

/**
 * A run that could not go on for a reason other than the user's input: the disk is full or
 * the folder became unwritable, the JVM ran out of memory. The message is one sentence that
 * says what failed and what was kept (the last checkpoint and its iteration).
 */
public final class RunFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

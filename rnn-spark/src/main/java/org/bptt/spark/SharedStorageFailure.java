package org.bptt.spark;

/**
 * A run folder could not be copied to or from shared storage. Unchecked, so that it passes
 * through training untouched (a failure to write the local run folder is another matter) and
 * fails the attempt, which Spark then retries.
 */
final class SharedStorageFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SharedStorageFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

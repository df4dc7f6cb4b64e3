package org.bptt.testkit;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of one contract check on one plugin. Immutable.
 *
 * @param name   the check, a stable lower-case name such as {@code gradients-match-finite-differences}
 * @param status passed, failed, or skipped (the check cannot run here, e.g. no SIMD backend for a thread-count check)
 * @param detail one line: what was measured, or what went wrong and where
 */
public record ContractResult(String name, Status status, String detail) {

    /** What happened. */
    public enum Status {
        PASSED,
        FAILED,
        SKIPPED
    }

    public ContractResult {
        requireNonNull(name, "name is null");
        requireNonNull(status, "status is null");
        requireNonNull(detail, "detail is null");
        detail = detail.replace('\n', ' ').replace('\r', ' ');
    }

    public boolean passed() {
        return status == Status.PASSED;
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    public boolean skipped() {
        return status == Status.SKIPPED;
    }

    @Override
    public String toString() {
        return status + " " + name + ": " + detail;
    }
}

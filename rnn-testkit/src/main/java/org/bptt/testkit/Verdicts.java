package org.bptt.testkit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Turns a contract result into JUnit's terms: a failure fails the test, a skip aborts it. */
final class Verdicts {
    private Verdicts() {}

    static void require(ContractResult result) {
        switch (result.status()) {
            case PASSED -> {}
            case SKIPPED -> Assumptions.abort(result.name() + " not run: " + result.detail());
            case FAILED -> Assertions.fail(result.name() + ": " + result.detail());
        }
    }
}

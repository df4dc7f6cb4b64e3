package org.bptt.testkit.conformance;

/**
 * One checked field of a case.
 *
 * @param caseName  the case's name
 * @param field     what was compared, e.g. {@code grads.W} or {@code truncated.chunk[2].loss}
 * @param error     relative error (NaN when the field could not be checked)
 * @param passed    within tolerance
 * @param detail    why it could not be checked, or empty
 */
public record FieldCheck(String caseName, String field, double error, boolean passed, String detail) {

    public String line() {
        String status = passed ? "PASS" : "FAIL";
        String err = Double.isNaN(error) ? "-" : String.format(java.util.Locale.ROOT, "%.2e", error);
        return String.format(
                java.util.Locale.ROOT,
                "%s  %-22s %-40s rel.err %s%s",
                status,
                caseName,
                field,
                err,
                detail.isEmpty() ? "" : "  (" + detail + ")");
    }
}

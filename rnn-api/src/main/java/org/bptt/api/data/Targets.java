package org.bptt.api.data;

/**
 * The targets of a batch, one per (step, sequence) row, row index {@code t·B + b}: either
 * class indices (for cross-entropy) or vectors of the output size (for regression).
 * Exactly one of {@link #classes()} and {@link #values()} is non-null.
 *
 * @param classes T·B class indices, or null
 * @param values  T·B·O target values, or null
 * @param width   O for vector targets, 1 for class targets
 */
public record Targets(int[] classes, float[] values, int width) {

    public static Targets classes(int[] classes) {
        return new Targets(classes, null, 1);
    }

    public static Targets vectors(float[] values, int width) {
        return new Targets(null, values, width);
    }

    public boolean isClasses() {
        return classes != null;
    }

    public int rows() {
        return classes != null ? classes.length : values.length / width;
    }
}

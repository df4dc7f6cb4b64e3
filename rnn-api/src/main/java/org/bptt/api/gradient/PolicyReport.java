package org.bptt.api.gradient;

/**
 * What a {@link GradientPolicy} did to one set of gradients. Mutable and reused, so that
 * training does not allocate per update.
 */
public final class PolicyReport {
    private double normBefore;
    private double normAfter;
    private double scale = 1.0;
    private boolean clipped;
    private long changedComponents;

    /** Records a result. */
    public void set(double normBefore, double normAfter, double scale, boolean clipped, long changedComponents) {
        this.normBefore = normBefore;
        this.normAfter = normAfter;
        this.scale = scale;
        this.clipped = clipped;
        this.changedComponents = changedComponents;
    }

    /** Global L2 norm of all gradients before the policy. */
    public double normBefore() {
        return normBefore;
    }
    /** Global L2 norm after it. */
    public double normAfter() {
        return normAfter;
    }
    /** The factor applied to all gradients (1 when untouched or when clipping per component). */
    public double scale() {
        return scale;
    }
    /** Whether the policy changed anything. */
    public boolean clipped() {
        return clipped;
    }
    /** How many components were changed (all of them when rescaled, the clamped ones when clipping by value). */
    public long changedComponents() {
        return changedComponents;
    }

    @Override
    public String toString() {
        return "PolicyReport[normBefore=" + normBefore + ", normAfter=" + normAfter + ", scale=" + scale + ", clipped="
                + clipped + ", changed=" + changedComponents + "]";
    }
}

package org.bptt.training;

import static java.util.Objects.requireNonNull;

/**
 * How the trainer turns losses and windows into updates.
 *
 * @param lossMean        how step losses are averaged
 * @param updatePerWindow update after every truncation window (online TBPTT) rather than once per iteration
 * @param nonFinite       what to do on NaN or infinite loss or gradients
 * @param trackAccuracy   count arg-max hits for {@link StepResult#accuracy()} (a pass over the
 *                        outputs a pure timing run does not need)
 */
public record TrainerSettings(
        LossMean lossMean, boolean updatePerWindow, NonFinitePolicy nonFinite, boolean trackAccuracy) {
    public TrainerSettings {
        requireNonNull(lossMean, "lossMean is null");
        requireNonNull(nonFinite, "nonFinite is null");
    }

    public static TrainerSettings defaults() {
        return new TrainerSettings(LossMean.SEQUENCE, true, NonFinitePolicy.STOP, true);
    }
}

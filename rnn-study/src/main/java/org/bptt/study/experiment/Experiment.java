package org.bptt.study.experiment;

import java.io.IOException;
import java.nio.file.Path;
import org.bptt.study.SweepListener;
import org.bptt.training.plugin.Plugins;

/**
 * A curated study: a published claim, the runs that test it, and a verdict. Implementations
 * are stateless.
 */
public interface Experiment {
    /** Short lower-case name: {@code spectrum}. */
    String name();

    /** The claim, in one or two sentences, with its source. */
    String claim();

    /** What is run at this scale, in one paragraph. */
    String setup(Scale scale);

    /**
     * Runs the experiment into {@code folder} (resumable where it trains: the same folder continues
     * where it stopped) and judges the claim.
     *
     * @param parallel runs at once
     * @param listener progress of the runs, and a way to stop them
     * @return the verdict, or null when the listener stopped the runs (resume with the same folder)
     */
    ExperimentResult run(Scale scale, Path folder, Plugins plugins, int parallel, SweepListener listener)
            throws IOException;
}

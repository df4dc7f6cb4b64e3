package org.bptt.study.experiment;

import java.util.List;

/** The truncation experiment shrunk to seconds for page tests: T = 12, k2 = 2, 4 and 12, two seeds, 60 updates. */
public final class SmallTruncation extends TruncationExperiment {
    @Override
    int steps(Scale s) {
        return 12;
    }

    @Override
    List<Long> seeds(Scale s) {
        return List.of(1L, 2L);
    }

    @Override
    long iterations(Scale s) {
        return 60;
    }
}

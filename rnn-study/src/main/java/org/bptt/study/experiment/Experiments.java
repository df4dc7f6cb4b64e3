package org.bptt.study.experiment;

import java.util.List;
import org.bptt.api.plugin.ConfigurationException;

/** The built-in experiments, by name. */
public final class Experiments {
    private Experiments() {}

    public static List<Experiment> all() {
        return List.of(
                new SpectrumExperiment(), new IrnnExperiment(), new PascanuExperiment(), new TruncationExperiment());
    }

    public static Experiment named(String name) {
        return all().stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ConfigurationException("no experiment '" + name + "'; known: "
                        + String.join(", ", all().stream().map(Experiment::name).toList())));
    }
}

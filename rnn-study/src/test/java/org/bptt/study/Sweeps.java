package org.bptt.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bptt.training.config.RunConfig;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.wiring.PluginChoice;

/** Small plans for tests: a few seconds of training in all. */
final class Sweeps {
    static final Plugins PLUGINS = Plugins.discover();

    private Sweeps() {}

    /** radius × policy × seeds on a short adding problem, evaluated every 30 iterations. */
    static SweepPlan small(long iterations, long... seeds) {
        List<Map<String, String>> combos = new ArrayList<>();
        for (String radius : List.of("0.5", "1.2")) {
            for (String policy : List.of("none", "clip-norm")) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("radius", radius);
                m.put("policy", policy);
                combos.add(m);
            }
        }
        List<Long> s = new ArrayList<>();
        for (long x : seeds) {
            s.add(x);
        }
        return SweepPlan.of(
                "test sweep",
                List.of("radius", "policy"),
                EvaluationSettings.defaults().withSequences(100).withEvery(30),
                combos,
                s,
                (values, seed) -> config(iterations, seed).toBuilder()
                        .initializer(PluginChoice.of("spectral").with("radius", values.get("radius")))
                        .policy(PluginChoice.of(values.get("policy")))
                        .build());
    }

    static RunConfig config(long iterations, long seed) {
        return RunConfig.defaults().toBuilder()
                .task(PluginChoice.of("adding").with("steps", "10"))
                .hidden(8)
                .batch(8)
                .iterations(iterations)
                .seed(seed)
                .checkpointEvery(30)
                .diagnosticsEvery(10)
                .optimizer(PluginChoice.of("adam").with("lr", "0.01"))
                .build();
    }
}

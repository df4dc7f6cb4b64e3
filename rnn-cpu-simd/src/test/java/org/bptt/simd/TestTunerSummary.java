package org.bptt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.plugin.ConfigurationException;
import org.junit.jupiter.api.Test;

/**
 * What the tuner's API gives a command to show and check: a result's summary lines, the knobs'
 * names and the refusal of a name that is none, the options a search is given.
 */
final class TestTunerSummary {
    private static SimdTuner.Result result(SimdSettings searched, SimdSettings chosen, Map<String, Double> ratios) {
        SimdSettings defaults = SimdSettings.defaults(256);
        return new SimdTuner.Result(
                SimdTuning.machine(256), defaults, searched, chosen, List.of(), ratios, 0.9, 12.345, 93.4);
    }

    @Test
    void theSummaryNamesTheSettingsTheCheckAndTheTime() {
        SimdSettings d = SimdSettings.defaults(256);
        SimdSettings kc = d.with("kc", 512);
        Map<String, Double> ratios = new LinkedHashMap<>();
        ratios.put("W1-64", 0.9);
        ratios.put("W2", 0.87654);
        List<String> lines = result(kc, kc, ratios).summary();
        assertEquals(
                List.of(
                        "machine:   " + SimdTuning.machine(256).key(),
                        "FMA peak:  12.3 GFLOP/s per core",
                        "defaults:  " + d.describe(),
                        "searched:  " + kc.describe(),
                        "chosen:    " + kc.describe(),
                        "against the defaults: 0.900 of their time over all workloads; {W1-64=0.900, W2=0.877}",
                        "took 93 s"),
                lines);
    }

    @Test
    void keptDefaultsAreSaidSoAndNoCheckNoRatioLine() {
        SimdSettings d = SimdSettings.defaults(256);
        List<String> lines = result(d.with("kc", 512), d, Map.of()).summary();
        assertEquals("chosen:    " + d.describe() + " (the defaults)", lines.get(4));
        assertEquals("took 93 s", lines.get(5));
        assertEquals(6, lines.size(), lines.toString());
    }

    @Test
    void anUnknownKnobIsRefusedNamingWhereItCameFromAndTheKnownOnes() {
        List<String> known = new ArrayList<>();
        new SimdSettings.KnobNames().forEach(known::add);
        assertEquals(List.copyOf(SimdSettings.candidates().keySet()), known);
        SimdSettings.requireKnobs(known, "the list");
        ConfigurationException e = assertThrows(
                ConfigurationException.class, () -> SimdSettings.requireKnobs(List.of("kc", "nonsense"), "the list"));
        assertEquals("the list: unknown knob 'nonsense'; known: " + String.join(", ", known), e.getMessage());
    }

    @Test
    void optionsTakeTheSearchAndTheWorkloadsInOrder() {
        Function<Kernels, Runnable> nothing = k -> () -> {};
        Map<String, Function<Kernels, Runnable>> f = new LinkedHashMap<>();
        f.put("b", nothing);
        f.put("a", nothing);
        List<SimdTuner.Workload> w = SimdTuner.Workload.all(f);
        assertEquals(List.of("b", "a"), w.stream().map(SimdTuner.Workload::name).toList());
        SimdTuner.Options o = SimdTuner.Options.defaults(2).withSearch(0.1, 7);
        SimdTuner.Options d = SimdTuner.Options.defaults(2);
        assertEquals(new SimdTuner.Options(2, 0.1, d.allowance(), 7, d.checks(), d.knobs()), o);
        assertThrows(IllegalArgumentException.class, () -> d.withSearch(0.5, 7));
    }
}

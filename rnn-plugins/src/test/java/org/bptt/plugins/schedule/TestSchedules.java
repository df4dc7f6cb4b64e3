package org.bptt.plugins.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginOptions;
import org.bptt.api.plugin.StateSink;
import org.bptt.api.plugin.StateSource;
import org.bptt.api.schedule.Schedule;
import org.bptt.api.schedule.ScheduleFactory;
import org.junit.jupiter.api.Test;

/**
 * The schedules' factors against their closed forms worked by hand (PyTorch's StepLR,
 * CosineAnnealingLR and ReduceLROnPlateau with the same settings give the same numbers), each
 * loaded through ServiceLoader by name.
 */
final class TestSchedules {

    private static Schedule create(String name, String... kv) {
        Map<String, ScheduleFactory> all = new TreeMap<>();
        ServiceLoader.load(ScheduleFactory.class).forEach(f -> all.put(f.name(), f));
        assertEquals(java.util.Set.of("constant", "step", "cosine", "plateau"), all.keySet());
        PluginOptions o = PluginOptions.empty(name);
        for (int i = 0; i < kv.length; i += 2) {
            o = o.with(kv[i], kv[i + 1]);
        }
        return all.get(name).create(o);
    }

    @Test
    void constantWithWarmUpRisesLinearlyThenStays() {
        Schedule s = create("constant", "warmup", "4");
        assertEquals(0.25, s.factor(0), 0);
        assertEquals(0.5, s.factor(1), 0);
        assertEquals(1.0, s.factor(3), 0);
        assertEquals(1.0, s.factor(1000), 0);
        assertEquals(1.0, create("constant").factor(0), 0);
    }

    @Test
    void stepMultipliesByGammaEveryN() {
        Schedule s = create("step", "every", "10", "gamma", "0.5");
        assertEquals(1.0, s.factor(9), 0);
        assertEquals(0.5, s.factor(10), 0);
        assertEquals(0.125, s.factor(35), 0);
    }

    @Test
    void cosineFollowsHalfACosineToItsMinimum() {
        Schedule s = create("cosine", "period", "100", "min", "0.1");
        assertEquals(1.0, s.factor(0), 1e-15);
        assertEquals(0.55, s.factor(50), 1e-15); // min + (1 − min)·(1 + cos(π/2))/2
        assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)), s.factor(25), 1e-15);
        assertEquals(0.1, s.factor(100), 1e-15);
        assertEquals(0.1, s.factor(1000), 1e-15);
        Schedule w = create("cosine", "period", "100", "warmup", "10");
        assertEquals(0.1 * (0.5 * (1 + Math.cos(Math.PI * 0 / 100))), w.factor(0), 1e-15);
    }

    @Test
    void plateauReducesAfterPatienceAndResumesFromItsState() {
        Schedule s = create("plateau", "patience", "2", "gamma", "0.5");
        s.observe(1, 1.0);
        s.observe(2, 0.9); // better
        s.observe(3, 0.95); // 1 without improvement
        s.observe(4, 0.9); // 2: not better than 0.9
        assertEquals(1.0, s.factor(5), 0);
        s.observe(5, 0.91); // 3 > patience: reduce
        assertEquals(0.5, s.factor(6), 0);
        Map<String, Long> saved = new TreeMap<>();
        s.saveState(new StateSink() {
            @Override
            public void putFloats(String key, float[] values) {
                throw new AssertionError();
            }

            @Override
            public void putLong(String key, long value) {
                saved.put(key, value);
            }
        });
        Schedule resumed = create("plateau", "patience", "2", "gamma", "0.5");
        resumed.loadState(new StateSource() {
            @Override
            public void getFloats(String key, float[] into) {
                throw new AssertionError();
            }

            @Override
            public long getLong(String key) {
                return saved.get(key);
            }
        });
        for (Schedule x : new Schedule[] {s, resumed}) {
            x.observe(6, 0.95);
            x.observe(7, 0.95);
            x.observe(8, 0.95);
        }
        assertEquals(0.25, s.factor(9), 0);
        assertEquals(s.factor(9), resumed.factor(9), 0);
    }

    @Test
    void badOptionsAreRefusedWithOneSentence() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> create("step", "gamma", "2"));
        assertTrue(e.getMessage().contains("gamma"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> create("cosine", "period", "0"));
        assertTrue(e.getMessage().contains("period"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> create("constant", "warmup", "-1"));
        assertTrue(e.getMessage().contains("warmup"), e.getMessage());
    }
}

package org.bptt.plugins.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.bptt.api.data.Batch;
import org.bptt.api.data.Task;
import org.bptt.api.data.TaskFactory;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.api.plugin.PluginParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

/** What every task promises: found by name, reproducible from a seed, right shapes, no allocation in fill. */
final class TestTaskFactories {
    static final List<String> NAMES = TaskTesting.NAMES;

    @Test
    void everyTaskIsFoundOnceByServiceLoader() {
        List<String> names = ServiceLoader.load(TaskFactory.class).stream()
                .map(p -> p.get().name())
                .sorted()
                .toList();
        assertEquals(NAMES.stream().sorted().toList(), names);
        for (String name : NAMES) {
            TaskFactory f = TaskTesting.factory(name);
            assertEquals(name.toLowerCase(java.util.Locale.ROOT), f.name());
            assertFalse(f.description().isBlank(), name);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "adding, 2, 1, 40, mse",
        "multiplication, 2, 1, 40, mse",
        "temporal-order, 8, 4, 50, ce",
        "copy, 10, 9, 20, ce",
        "sine, 1, 1, 50, mse",
    })
    void defaultsGiveTheDocumentedShapes(String name, int in, int out, int steps, String loss) {
        Task task = TaskTesting.task(name);
        assertEquals(in, task.inputSize());
        assertEquals(out, task.outputSize());
        assertEquals(steps, task.steps());
        assertEquals(loss, task.defaultLoss());
        Batch batch = TaskTesting.filled(task, 3, 1);
        assertEquals(3, batch.batch());
        assertEquals(steps, batch.steps());
        assertEquals(steps * 3 * in, batch.x().length);
        assertEquals(steps * 3, batch.targets().rows());
        assertEquals(loss.equals("ce"), batch.targets().isClasses());
        assertEquals(1, batch.targets().width());
        assertEquals(null, batch.h0());
    }

    @Test
    void parametersListTheirDefaults() {
        assertEquals(
                List.of(new PluginParameter(
                        "steps", "40", "sequence length T", "integer", "a whole number at least 2")),
                TaskTesting.factory("adding").parameters());
        assertEquals(
                List.of("symbols=5", "delay=10", "alphabet=8"),
                TaskTesting.factory("copy").parameters().stream()
                        .map(p -> p.name() + "=" + p.defaultValue())
                        .toList());
        assertEquals(
                List.of("steps=50", "omega-min=0.1", "omega-max=0.5"),
                TaskTesting.factory("sine").parameters().stream()
                        .map(p -> p.name() + "=" + p.defaultValue())
                        .toList());
        assertEquals(
                List.of("text=", "steps=50", "validation=0"),
                TaskTesting.factory("text").parameters().stream()
                        .map(p -> p.name() + "=" + p.defaultValue())
                        .toList());
        assertEquals(
                List.of("steps=50"),
                TaskTesting.factory("temporal-order").parameters().stream()
                        .map(p -> p.name() + "=" + p.defaultValue())
                        .toList());
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void sameSeedSameBatchOtherSeedOtherBatch(String name) {
        Task task = TaskTesting.task(name);
        Batch a = TaskTesting.filled(task, 4, 42);
        Batch b = TaskTesting.filled(task, 4, 42);
        Batch c = TaskTesting.filled(task, 4, 43);
        assertArrayEquals(a.x(), b.x());
        assertArrayEquals(a.lossSteps(), b.lossSteps());
        if (a.targets().isClasses()) {
            assertArrayEquals(a.targets().classes(), b.targets().classes());
        } else {
            assertArrayEquals(a.targets().values(), b.targets().values());
        }
        assertFalse(Arrays.equals(a.x(), c.x()), "seed 43 gave the inputs of seed 42");
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void refillingTheSameBatchMatchesAFreshOne(String name) {
        // A refill must not depend on what the previous fill left in the arrays.
        Task task = TaskTesting.task(name);
        Batch reused = task.newBatch(5);
        task.fill(reused, new SplittableRandom(1));
        task.fill(reused, new SplittableRandom(2));
        Batch fresh = TaskTesting.filled(task, 5, 2);
        assertArrayEquals(fresh.x(), reused.x());
        if (fresh.targets().isClasses()) {
            assertArrayEquals(fresh.targets().classes(), reused.targets().classes());
        } else {
            assertArrayEquals(fresh.targets().values(), reused.targets().values());
        }
    }

    @ParameterizedTest
    @CsvSource({
        "adding, 1, 39, 40",
        "multiplication, 1, 39, 40",
        "temporal-order, 1, 49, 50",
        "copy, 20, 0, 20",
        "sine, 50, 0, 50",
        "text, 50, 0, 50",
    })
    void lossStepsAreTheDocumentedOnes(String name, int count, int first, int endExclusive) {
        Task task = TaskTesting.task(name);
        Batch batch = TaskTesting.filled(task, 2, 3);
        assertEquals(count, batch.lossStepCount());
        assertEquals(endExclusive, task.steps());
        for (int t = 0; t < task.steps(); t++) {
            assertEquals(t >= first, batch.lossSteps()[t], "step " + t);
        }
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void fillAllocatesNothingAfterWarmUp(String name) {
        Task task = TaskTesting.task(name);
        Batch batch = task.newBatch(8);
        assertEquals(0L, TaskTesting.allocatedByFills(task, batch, 200), name + " allocated in fill");
    }

    static Object sink;

    @Test
    void theAllocationProbeSeesAnAllocatingFill() {
        // Negative control: the probe above would notice a fill that allocates.
        Task sine = TaskTesting.task("sine");
        Task leaky = new Task() {
            @Override
            public int inputSize() {
                return sine.inputSize();
            }

            @Override
            public int outputSize() {
                return sine.outputSize();
            }

            @Override
            public int steps() {
                return sine.steps();
            }

            @Override
            public String defaultLoss() {
                return sine.defaultLoss();
            }

            @Override
            public Batch newBatch(int batchSize) {
                return sine.newBatch(batchSize);
            }

            @Override
            public String describe() {
                return "leaky";
            }

            @Override
            public void fill(Batch batch, java.util.random.RandomGenerator random) {
                sine.fill(batch, random);
                sink = new float[4];
            }
        };
        assertTrue(TaskTesting.allocatedByFills(leaky, leaky.newBatch(8), 200) >= 200 * 16L);
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void unknownOptionsAreRejected(String name) {
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TaskTesting.task(name, Map.of("stpes", "10")));
        assertTrue(e.getMessage().startsWith(name + ": unknown option 'stpes'; accepted: "), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "adding | steps | 1 | adding: option 'steps' must be a whole number at least 2, got '1'",
                "multiplication | steps | 0 | multiplication: option 'steps' must be a whole number at least 2, got '0'",
                "temporal-order | steps | 9 | temporal-order: option 'steps' must be a whole number at least 10, got '9'",
                "copy | symbols | 0 | copy: option 'symbols' must be a whole number at least 1, got '0'",
                "copy | delay | 0 | copy: option 'delay' must be a whole number at least 1, got '0'",
                "copy | alphabet | 1 | copy: option 'alphabet' must be a whole number at least 2 and at most 65536, got '1'",
                "copy | delay | 2000000 | copy: symbols + delay + symbols must be at most 1000000 steps, got 2000010",
                "sine | steps | 0 | sine: option 'steps' must be a whole number at least 1, got '0'",
                "sine | omega-min | 0 | sine: option 'omega-min' must be a number greater than 0, got '0'",
                "sine | omega-max | 0.05 | sine: option 'omega-max' (0.05) must be at least option 'omega-min' (0.1)",
                "text | steps | 0 | text: option 'steps' must be a whole number at least 1, got '0'",
                "adding | steps | ten | adding: option 'steps' must be a whole number at least 2, got 'ten'",
                "adding | steps | 16.7 | adding: option 'steps' must be a whole number at least 2, got '16.7'",
            })
    void badOptionsGiveOneClearSentence(String name, String option, String value, String message) {
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TaskTesting.task(name, Map.of(option, value)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void sineRejectsAliasedFrequencies() {
        ConfigurationException e =
                assertThrows(ConfigurationException.class, () -> TaskTesting.task("sine", Map.of("omega-max", "3.2")));
        assertTrue(e.getMessage().contains("at most pi"), e.getMessage());
    }

    @Test
    void describeNamesTheTaskAndItsLength() {
        assertEquals(
                "adding(T=100)",
                TaskTesting.task("adding", Map.of("steps", "100")).describe());
        assertEquals("multiplication(T=40)", TaskTesting.task("multiplication").describe());
        assertEquals("temporal-order(T=50)", TaskTesting.task("temporal-order").describe());
        assertEquals(
                "copy(symbols=5, delay=10, alphabet=8, T=20)",
                TaskTesting.task("copy").describe());
        assertEquals("sine(T=50, omega=0.1..0.5)", TaskTesting.task("sine").describe());
        assertTrue(TaskTesting.task("text").describe().startsWith("text(alice.txt (embedded), V="));
    }

    @Test
    void aBatchOfAnotherShapeIsRefused() {
        Task adding = TaskTesting.task("adding");
        Task sine = TaskTesting.task("sine");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> adding.fill(sine.newBatch(2), new SplittableRandom(1)));
        assertTrue(e.getMessage().startsWith("adding: batch has T=50 I=1"), e.getMessage());
    }
}

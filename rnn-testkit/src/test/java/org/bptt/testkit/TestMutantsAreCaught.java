package org.bptt.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.testkit.ContractResult.Status;
import org.bptt.testkit.ContractSettings.Sizes;
import org.bptt.testkit.internal.CellSuite;
import org.bptt.testkit.internal.InitializerSuite;
import org.bptt.testkit.internal.OptimizerSuite;
import org.bptt.testkit.internal.OptionCorners;
import org.bptt.testkit.internal.PolicySuite;
import org.bptt.testkit.internal.TruncationSuite;
import org.bptt.testkit.samples.AdaptiveClip;
import org.bptt.testkit.samples.GatedCell;
import org.bptt.testkit.samples.GatedCellFactory;
import org.bptt.testkit.samples.SampleAdam;
import org.bptt.testkit.samples.SampleTbptt;
import org.bptt.testkit.samples.SampleUniform;
import org.bptt.testkit.samples.SloppyOptions;
import org.bptt.testkit.samples.VanillaIgnoringOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit proves itself: each deliberately broken plugin is caught by the check meant for its
 * flaw, and the same plugins without a flaw pass every check. A check no mutant fails would
 * be a check that cannot fail; {@link #everyCheckIsProvenByAMutant} keeps that from happening.
 */
final class TestMutantsAreCaught {
    /** A real per-step allocation shows in every round, so a short budget suffices; the fresh-JVM retry is tested on its own. */
    static final ContractSettings QUICK = ContractSettings.defaults()
            .withAllocationBudget(Duration.ofSeconds(2))
            .withFreshJvmRetry(false);

    static final ContractSettings GATED = QUICK.withUnsupportedSizes(new Sizes(3, GatedCell.MAX_HIDDEN + 1));

    private static Arguments cell(String flaw, String check) {
        return Arguments.of("gated cell that " + flaw, new GatedCellFactory(), Map.of("flaw", flaw), GATED, check);
    }

    private static Arguments policy(String flaw, String check) {
        return Arguments.of(
                "adaptive-clip that " + flaw, new AdaptiveClip.Factory(), Map.of("flaw", flaw), QUICK, check);
    }

    private static Arguments optimizer(String flaw, String check) {
        return Arguments.of("sample-adam that " + flaw, new SampleAdam.Factory(), Map.of("flaw", flaw), QUICK, check);
    }

    private static Arguments truncation(String flaw, String check) {
        return Arguments.of(
                "sample-tbptt that " + flaw,
                new SampleTbptt.Factory(),
                Map.of("k1", "3", "k2", "5", "flaw", flaw),
                QUICK,
                check);
    }

    private static Arguments initializer(String flaw, String check) {
        return Arguments.of(
                "sample-uniform that " + flaw, new SampleUniform.Factory(), Map.of("flaw", flaw), QUICK, check);
    }

    static Stream<Arguments> mutants() {
        return Stream.of(
                cell("wrong-gate-derivative", CellSuite.GRADIENTS),
                cell("ignores-bias", CellSuite.EVERY_PARAMETER),
                cell("clears-gradients", CellSuite.BUFFERS),
                cell("backward-from-zero", CellSuite.TRUNCATED),
                cell("scratch-per-call", CellSuite.TRUNCATED),
                cell("reads-slot-zero", CellSuite.SPLIT_FORWARD),
                Arguments.of(
                        "vanilla cell that restarts at slot 0 on every forward call",
                        new VanillaIgnoringOffset(),
                        Map.of(),
                        QUICK,
                        CellSuite.SPLIT_FORWARD),
                cell("thread-dependent", CellSuite.THREADS),
                cell("mixes-sequences", CellSuite.SEQUENCES),
                cell("caches-weights", CellSuite.PARAMETER_UPDATES),
                cell("unseeded-jitter", CellSuite.DETERMINISM),
                cell("static-scratch", CellSuite.INSTANCES),
                cell("static-weight", CellSuite.INSTANCES),
                cell(
                        "unseeded-jitter",
                        CellSuite.INSTANCES), // made again alone, it differs: not blamed on a second instance
                cell("norm-without-epsilon", CellSuite.FINITE),
                cell("allocates", CellSuite.ALLOCATION),
                cell("accepts-large-hidden", CellSuite.BAD_SIZES),
                cell("ignores-parameter-shapes", CellSuite.BAD_SIZES),
                cell("names-readout-bias", CellSuite.DECLARATION),
                cell("names-readout-bias", CellSuite.PLATFORM),
                policy("decays-parameters", PolicySuite.LEAVES_PARAMETERS),
                policy("misreports-norm-after", PolicySuite.REPORT),
                policy("hides-nan", PolicySuite.NON_FINITE),
                policy("unseeded-jitter", PolicySuite.DETERMINISM),
                policy("static-average", PolicySuite.INSTANCES),
                policy("split-sum", PolicySuite.THREADS),
                policy("allocates", PolicySuite.ALLOCATION),
                policy("loses-state", PolicySuite.CHECKPOINT),
                policy("no-shape-check", PolicySuite.MISMATCHED),
                optimizer("modifies-gradients", OptimizerSuite.LEAVES_GRADIENTS),
                optimizer("ascends", OptimizerSuite.DESCENDS),
                optimizer("unseeded-jitter", OptimizerSuite.DETERMINISM),
                optimizer("static-step-count", OptimizerSuite.INSTANCES),
                optimizer("split-sum", OptimizerSuite.THREADS),
                optimizer("allocates", OptimizerSuite.ALLOCATION),
                optimizer("loses-state", OptimizerSuite.CHECKPOINT),
                optimizer("no-shape-check", OptimizerSuite.MISMATCHED),
                Arguments.of(
                        "optimizer factory that ignores unknown options",
                        new SloppyOptions.IgnoresUnknown(),
                        Map.of(),
                        QUICK,
                        OptimizerSuite.OPTIONS),
                Arguments.of(
                        "optimizer factory that parses numbers by hand",
                        new SloppyOptions.ParsesByHand(),
                        Map.of(),
                        QUICK,
                        OptimizerSuite.OPTIONS),
                Arguments.of(
                        "optimizer factory whose declared default is not the one it uses",
                        new SloppyOptions.WrongDefault(),
                        Map.of(),
                        QUICK,
                        OptimizerSuite.OPTIONS),
                Arguments.of(
                        "optimizer factory that takes a negative learning rate",
                        new SloppyOptions.AcceptsNegativeRate(),
                        Map.of(),
                        QUICK.withBadOptions(Map.of("lr", "-0.1")),
                        OptimizerSuite.OPTIONS),
                truncation("drops-last-partial", TruncationSuite.PARTITION),
                truncation("overlapping-losses", TruncationSuite.PARTITION),
                truncation("reuses-list", TruncationSuite.STABLE),
                truncation("counts-calls", TruncationSuite.STABLE),
                truncation("loses-tail-at-k1-one", OptionCorners.NAME),
                initializer("skips-last-row", InitializerSuite.FILLS),
                initializer("unseeded", InitializerSuite.DETERMINISM),
                initializer("own-generator", InitializerSuite.DETERMINISM),
                initializer("zero-input-weights", InitializerSuite.WEIGHTS));
    }

    @ParameterizedTest(name = "{0}: {4}")
    @MethodSource("mutants")
    void eachMutantIsCaughtByItsCheck(
            String what,
            PluginFactory<?> factory,
            Map<String, String> options,
            ContractSettings settings,
            String check) {
        ContractResult result = Contracts.check(factory, options, settings, check);
        assertEquals(Status.FAILED, result.status(), what + " slipped through " + check + ": " + result.detail());
    }

    /**
     * Correct plugins keep the default allocation settings: about one JVM in twenty compiles a
     * SIMD kernel without its intrinsic (README), and only the fresh-JVM retry tells that apart
     * from the plugin allocating.
     */
    static Stream<Arguments> samples() {
        ContractSettings d = ContractSettings.defaults();
        return Stream.of(
                Arguments.of(new GatedCellFactory(), d.withUnsupportedSizes(new Sizes(3, GatedCell.MAX_HIDDEN + 1))),
                Arguments.of(
                        new AdaptiveClip.Factory(), d.withBadOptions(Map.of("factor", "0"), Map.of("initial", "-1"))),
                Arguments.of(new SampleAdam.Factory(), d.withBadOptions(Map.of("lr", "-0.1"), Map.of("beta1", "1"))),
                Arguments.of(
                        new SampleTbptt.Factory(), d.withBadOptions(Map.of("k1", "0"), Map.of("k1", "5", "k2", "3"))),
                Arguments.of(new SampleUniform.Factory(), d.withBadOptions(Map.of("scale", "0"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void theSamplesWithoutAFlawPassEveryCheck(PluginFactory<?> factory, ContractSettings settings) {
        List<ContractResult> results = Contracts.check(factory, Map.of(), settings);
        for (ContractResult r : results) {
            assertEquals(Status.PASSED, r.status(), factory.name() + " " + r);
        }
        assertEquals(Contracts.checkNames(factory).size(), results.size());
    }

    @Test
    void everyCheckIsProvenByAMutant() {
        Map<String, List<String>> families = Map.of(
                "cell", Contracts.checkNames(new GatedCellFactory()),
                "gradient policy", Contracts.checkNames(new AdaptiveClip.Factory()),
                "optimizer", Contracts.checkNames(new SampleAdam.Factory()),
                "truncation", Contracts.checkNames(new SampleTbptt.Factory()),
                "initializer", Contracts.checkNames(new SampleUniform.Factory()));
        List<Arguments> all = mutants().toList();
        families.forEach((family, checks) -> {
            for (String check : checks) {
                boolean proven = all.stream()
                        .anyMatch(a ->
                                Contracts.family((PluginFactory<?>) a.get()[1]).equals(family)
                                        && a.get()[4].equals(check));
                // one implementation serves every family's options check; the optimizer's mutants prove it
                // and the corners check, whose truncation mutant proves it
                boolean sharedOptionsCheck = check.equals(OptimizerSuite.OPTIONS) || check.equals(OptionCorners.NAME);
                assertTrue(proven || sharedOptionsCheck, family + " check " + check + " has no mutant that it catches");
            }
        });
    }
}

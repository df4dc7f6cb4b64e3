package org.bptt.testkit;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.init.InitializerFactory;
import org.bptt.api.optim.OptimizerFactory;
import org.bptt.api.plugin.PluginFactory;
import org.bptt.api.truncation.TruncationFactory;
import org.bptt.testkit.ContractResult.Status;
import org.bptt.testkit.internal.CellSuite;
import org.bptt.testkit.internal.Check;
import org.bptt.testkit.internal.InitializerSuite;
import org.bptt.testkit.internal.OptimizerSuite;
import org.bptt.testkit.internal.OptionCorners;
import org.bptt.testkit.internal.PolicySuite;
import org.bptt.testkit.internal.TruncationSuite;

/**
 * Runs the contract checks of a plugin's family on one of its factories: the same checks the
 * JUnit bases ({@link CellContract}, {@link GradientPolicyContract}, {@link OptimizerContract},
 * {@link TruncationContract}, {@link InitializerContract}) run one test at a time.
 *
 * <pre>{@code
 * List<ContractResult> results = Contracts.check(new MyCellFactory(), Map.of("gates", "2"));
 * results.forEach(System.out::println);   // PASSED gradients-match-finite-differences: largest relative error 2.1e-05 …
 * }</pre>
 *
 * A check never throws because of the plugin: whatever the plugin throws becomes a failed
 * result naming the exception and where it was thrown. Checks run one after another on the
 * calling thread; the multi-threaded ones use the SIMD backend's own worker threads.
 */
public final class Contracts {
    private Contracts() {}

    /** Every check of the factory's family, with {@link ContractSettings#defaults()}. */
    public static List<ContractResult> check(PluginFactory<?> factory, Map<String, String> options) {
        return check(factory, options, ContractSettings.defaults());
    }

    /**
     * Every check of the factory's family, in a fixed order. A factory of a family without a
     * contract (a loss, a task) gets one skipped result saying so.
     *
     * @param options the plugin's options, as a user would give them; not modified
     */
    public static List<ContractResult> check(
            PluginFactory<?> factory, Map<String, String> options, ContractSettings settings) {
        List<Check> checks = suite(factory, options, settings);
        if (checks.isEmpty()) {
            return List.of(new ContractResult(
                    "contract",
                    Status.SKIPPED,
                    "no contract for " + factory.getClass().getName() + "; the kit has contracts for cells, gradient"
                            + " policies, optimizers, truncations and initializers"));
        }
        List<ContractResult> results = new ArrayList<>();
        for (Check c : checks) {
            results.add(c.run());
        }
        return List.copyOf(results);
    }

    /** One check by name (see {@link #checkNames}). */
    public static ContractResult check(
            PluginFactory<?> factory, Map<String, String> options, ContractSettings settings, String checkName) {
        List<Check> checks = suite(factory, options, settings);
        for (Check c : checks) {
            if (c.name().equals(checkName)) {
                return c.run();
            }
        }
        throw new IllegalArgumentException(
                checks.isEmpty()
                        ? "no contract for " + factory.getClass().getName()
                        : "no check '" + checkName + "' in the " + family(factory) + " contract; known: "
                                + checks.stream().map(Check::name).toList());
    }

    /** The names of the checks the factory's family has, in the order {@link #check} runs them. */
    public static List<String> checkNames(PluginFactory<?> factory) {
        return suite(factory, Map.of(), ContractSettings.defaults()).stream()
                .map(Check::name)
                .toList();
    }

    /**
     * The family whose contract applies: {@code cell}, {@code gradient policy}, {@code optimizer},
     * {@code truncation}, {@code initializer}, or {@code none}.
     */
    public static String family(PluginFactory<?> factory) {
        requireNonNull(factory, "factory is null");
        if (factory instanceof CellFactory) {
            return "cell";
        } else if (factory instanceof GradientPolicyFactory) {
            return "gradient policy";
        } else if (factory instanceof OptimizerFactory) {
            return "optimizer";
        } else if (factory instanceof TruncationFactory) {
            return "truncation";
        } else if (factory instanceof InitializerFactory) {
            return "initializer";
        }
        return "none";
    }

    private static List<Check> suite(PluginFactory<?> factory, Map<String, String> options, ContractSettings settings) {
        List<Check> checks = familySuite(factory, options, settings, false);
        if (checks.isEmpty()) {
            return checks;
        }
        List<Check> all = new ArrayList<>(checks);
        all.add(new Check(
                OptionCorners.NAME,
                () -> OptionCorners.check(factory, options, corner -> familySuite(factory, corner, settings, true))));
        return List.copyOf(all);
    }

    private static List<Check> familySuite(
            PluginFactory<?> factory, Map<String, String> options, ContractSettings settings, boolean corner) {
        requireNonNull(options, "options is null");
        requireNonNull(settings, "settings is null");
        return switch (family(factory)) {
            case "cell" -> new CellSuite((CellFactory) factory, options, settings).checks();
            case "gradient policy" -> new PolicySuite((GradientPolicyFactory) factory, options, settings).checks();
            case "optimizer" -> new OptimizerSuite((OptimizerFactory) factory, options, settings, corner).checks();
            case "truncation" -> new TruncationSuite((TruncationFactory) factory, options, settings).checks();
            case "initializer" -> new InitializerSuite((InitializerFactory) factory, options, settings).checks();
            default -> List.of();
        };
    }
}

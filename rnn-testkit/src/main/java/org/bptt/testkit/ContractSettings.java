package org.bptt.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a plugin's author may tell the checks beyond the factory and its options. Every field
 * has a default ({@link #defaults()}); change one with its {@code with…} method. Immutable.
 *
 * @param inputSize        I of the small models the cell checks build (default 3)
 * @param hiddenSize       H of those models (default 4); keep both small, the finite
 *                         differences cost one forward pass per parameter element
 * @param unsupportedSizes sizes the cell cannot support: binding it to them must fail with an
 *                         exception (default none)
 * @param badOptions       option sets the factory must refuse with a
 *                         {@link org.bptt.api.plugin.ConfigurationException} (default none)
 * @param allocationBudget how long the allocation check warms a step up before it calls a
 *                         per-step allocation real (default 5 s)
 * @param freshJvmRetry    whether a step that allocates is measured again in a fresh JVM
 *                         before the check fails (default true); see {@code docs/testkit.md}
 */
public record ContractSettings(
        int inputSize,
        int hiddenSize,
        List<Sizes> unsupportedSizes,
        List<Map<String, String>> badOptions,
        Duration allocationBudget,
        boolean freshJvmRetry) {

    /** Input and hidden size of a model. */
    public record Sizes(int input, int hidden) {
        @Override
        public String toString() {
            return "I=" + input + ", H=" + hidden;
        }
    }

    public ContractSettings {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("sizes must be at least 1, got I=" + inputSize + ", H=" + hiddenSize);
        }
        unsupportedSizes = List.copyOf(requireNonNull(unsupportedSizes, "unsupportedSizes is null"));
        badOptions = badOptions.stream().map(Map::copyOf).toList();
        requireNonNull(allocationBudget, "allocationBudget is null");
        if (allocationBudget.isNegative() || allocationBudget.isZero()) {
            throw new IllegalArgumentException("allocationBudget must be positive, got " + allocationBudget);
        }
    }

    /** I = 3, H = 4, nothing unsupported, no bad options, 5 s allocation budget, fresh-JVM retry on. */
    public static ContractSettings defaults() {
        return new ContractSettings(3, 4, List.of(), List.of(), Duration.ofSeconds(5), true);
    }

    public ContractSettings withSizes(int input, int hidden) {
        return new ContractSettings(input, hidden, unsupportedSizes, badOptions, allocationBudget, freshJvmRetry);
    }

    public ContractSettings withUnsupportedSizes(Sizes... sizes) {
        return new ContractSettings(inputSize, hiddenSize, List.of(sizes), badOptions, allocationBudget, freshJvmRetry);
    }

    @SafeVarargs
    public final ContractSettings withBadOptions(Map<String, String>... options) {
        return new ContractSettings(
                inputSize, hiddenSize, unsupportedSizes, List.of(options), allocationBudget, freshJvmRetry);
    }

    public ContractSettings withAllocationBudget(Duration budget) {
        return new ContractSettings(inputSize, hiddenSize, unsupportedSizes, badOptions, budget, freshJvmRetry);
    }

    public ContractSettings withFreshJvmRetry(boolean retry) {
        return new ContractSettings(inputSize, hiddenSize, unsupportedSizes, badOptions, allocationBudget, retry);
    }
}

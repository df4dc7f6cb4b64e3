package org.bptt.testkit.internal;

import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bptt.api.cell.CellFactory;
import org.bptt.api.gradient.GradientPolicyFactory;
import org.bptt.api.optim.OptimizerFactory;

/**
 * Run by {@link Allocation} in a JVM of its own: builds a plugin's steady-state workload from
 * its factory class and options and prints {@code bytes-per-step N} as its last line.
 *
 * <p>Arguments: family ({@code cell}, {@code policy}, {@code optimizer}), the factory's class
 * name (it must have a no-argument constructor, as ServiceLoader requires), the time budget in
 * milliseconds, the input and hidden sizes, then the plugin's options as {@code key=value}.
 */
public final class AllocationProbe {
    static final String RESULT = "bytes-per-step ";

    private AllocationProbe() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        String family = args[0];
        Constructor<?> constructor = Class.forName(args[1]).getDeclaredConstructor();
        constructor.setAccessible(true);
        Object factory = constructor.newInstance();
        Duration budget = Duration.ofMillis(Long.parseLong(args[2]));
        int input = Integer.parseInt(args[3]);
        int hidden = Integer.parseInt(args[4]);
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 5; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Allocation.Workload w = switch (family) {
            case "cell" -> CellSuite.workload((CellFactory) factory, options, input, hidden);
            case "policy" -> PolicySuite.workload((GradientPolicyFactory) factory, options);
            case "optimizer" -> OptimizerSuite.workload((OptimizerFactory) factory, options);
            default -> throw new IllegalArgumentException("unknown family " + family);
        };
        System.out.println(RESULT + Allocation.bytesPerStep(w, budget));
    }
}

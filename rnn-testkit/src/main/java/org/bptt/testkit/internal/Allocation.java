package org.bptt.testkit.internal;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bptt.simd.JvmOptions;
import org.bptt.testkit.ContractSettings;

/**
 * Bytes a plugin allocates per steady-state step, on the calling thread and on the SIMD
 * backend's workers ({@code bptt-simd-*}), from {@code com.sun.management.ThreadMXBean}.
 *
 * <p>What the project learned measuring its own training step (rnn-training's
 * TestStepAllocation): the interpreter and C1 allocate where C2 does not, so the step is run
 * in rounds until one round allocates nothing or the time budget is spent, and the best
 * round counts; a real per-step allocation allocates in every round. The SIMD kernels need
 * {@code -XX:CompileCommand=dontinline,org.bptt.simd.internal.SimdKernels::*} to stay free of
 * allocation, and even with it about one JVM in twenty compiles some kernel without its
 * intrinsic and boxes vectors for the life of the process. So a step that allocates here is
 * measured once more in a fresh JVM with those flags; only a step that allocates in both is
 * the plugin's doing.
 */
public final class Allocation {
    /** Steps measured per round; fewer than this many bytes in a round is measurement noise, not a per-step allocation. */
    private static final int MEASURED = 64;

    private static final int WARM_UP = 200;
    static final String WORKER_PREFIX = "bptt-simd-";
    static final List<String> SIMD_FLAGS = JvmOptions.of(JvmOptions.Group.JIT);

    private Allocation() {}

    /** One steady-state step of a plugin (forward and backward, an update, …). */
    @FunctionalInterface
    public interface Workload {
        void step();
    }

    /** What the fresh JVM needs to build the same workload: see {@link AllocationProbe}. */
    public record ProbeSpec(
            String family, Class<?> factoryClass, int input, int hidden, java.util.Map<String, String> options) {}

    /** Runs the allocation check: a pass detail, or {@link Check.Failed}. */
    static String check(Workload workload, ProbeSpec probe, ContractSettings settings) {
        long here = bytesPerStep(workload, settings.allocationBudget());
        if (here == 0) {
            return "0 bytes per step after warm-up, on the caller and the kernel workers";
        }
        if (!settings.freshJvmRetry()) {
            throw Check.fail(here + " bytes per step in every round for "
                    + settings.allocationBudget().toSeconds() + " s (caller and kernel workers)" + flagHint());
        }
        String fresh = inFreshJvm(probe, settings.allocationBudget());
        if (fresh.startsWith("(")) {
            throw Check.fail(here + " bytes per step in every round for "
                    + settings.allocationBudget().toSeconds() + " s, and the fresh-JVM measurement could not run "
                    + fresh + flagHint());
        }
        if (fresh.equals("0")) {
            return "0 bytes per step in a fresh JVM; this JVM's kernels allocated " + here
                    + " per step (a JIT state of the SIMD kernels, not the plugin)" + flagHint();
        }
        throw Check.fail(here + " bytes per step here and " + fresh + " in a fresh JVM, in every round after warm-up:"
                + " the plugin allocates on the hot path" + flagHint());
    }

    private static String flagHint() {
        return JvmOptions.kernelsOutOfLine()
                        || !ModuleLayer.boot()
                                .findModule("jdk.incubator.vector")
                                .isPresent()
                ? ""
                : "; this JVM lacks " + String.join(" ", SIMD_FLAGS) + ", without which the SIMD kernels may allocate";
    }

    /** The fewest bytes per step over rounds of {@value #MEASURED} steps, within the budget. */
    public static long bytesPerStep(Workload workload, Duration budget) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported() || !mx.isThreadAllocatedMemoryEnabled()) {
            throw new Check.Skipped("this JVM does not count allocated bytes per thread");
        }
        workload.step(); // starts any worker threads the backend creates lazily
        long[] ids = threadIds();
        long overhead = 0;
        for (int i = 0; i < 3; i++) {
            long a = allocated(mx, ids);
            overhead = Math.max(overhead, allocated(mx, ids) - a);
        }
        long deadline = System.nanoTime() + budget.toNanos();
        long best = Long.MAX_VALUE;
        do {
            for (int i = 0; i < WARM_UP; i++) {
                workload.step();
            }
            long before = allocated(mx, ids);
            for (int i = 0; i < MEASURED; i++) {
                workload.step();
            }
            long bytes = allocated(mx, ids) - before - overhead;
            best = Math.min(best, Math.max(0, bytes) / MEASURED);
        } while (best > 0 && System.nanoTime() < deadline);
        return best;
    }

    private static long[] threadIds() {
        List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().threadId());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(WORKER_PREFIX)) {
                ids.add(t.threadId());
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private static long allocated(com.sun.management.ThreadMXBean mx, long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += Math.max(0, mx.getThreadAllocatedBytes(id));
        }
        return sum;
    }

    /**
     * This JVM's class path and module path, then the jars of the plugin's own class loader (a
     * plugin folder's loader, which the platform's class path does not reach), flat: the probe
     * loads the plugin from the class path, where META-INF/services registers it.
     */
    static String classPath(Class<?> plugin) {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : List.of("java.class.path", "jdk.module.path")) {
            String value = System.getProperty(property, "");
            for (String e : value.split(File.pathSeparator)) {
                if (!e.isEmpty()) {
                    entries.add(e);
                }
            }
        }
        ClassLoader loader = plugin.getClassLoader();
        if (loader instanceof URLClassLoader urls && loader != ClassLoader.getSystemClassLoader()) {
            for (URL u : urls.getURLs()) {
                entries.add(path(u));
            }
        } else if (plugin.getProtectionDomain().getCodeSource() != null
                && plugin.getProtectionDomain().getCodeSource().getLocation() != null) {
            entries.add(path(plugin.getProtectionDomain().getCodeSource().getLocation()));
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String path(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return url.getPath();
        }
    }

    /**
     * Bytes per step measured by {@link AllocationProbe} in a new JVM with the SIMD flags (warming
     * up for twice the budget), or why it could not run, in brackets.
     */
    public static String inFreshJvm(ProbeSpec probe, Duration budget) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            command.addAll(JvmOptions.of(JvmOptions.Group.VECTOR, JvmOptions.Group.JIT));
        }
        command.addAll(List.of(
                "-cp",
                classPath(probe.factoryClass()),
                AllocationProbe.class.getName(),
                probe.family(),
                probe.factoryClass().getName(),
                Long.toString(budget.toMillis() * 2),
                Integer.toString(probe.input()),
                Integer.toString(probe.hidden())));
        probe.options().forEach((k, v) -> command.add(k + "=" + v));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(budget.toSeconds() * 4 + 60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "(no result: the fresh JVM timed out)";
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            String last = text.lines().reduce("", (a, b) -> b);
            if (process.exitValue() == 0 && last.startsWith(AllocationProbe.RESULT)) {
                return last.substring(AllocationProbe.RESULT.length());
            }
            return "(no result: the fresh JVM exited with " + process.exitValue() + ": " + last + ")";
        } catch (IOException e) {
            return "(no result: could not start a JVM: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no result: interrupted)";
        }
    }
}

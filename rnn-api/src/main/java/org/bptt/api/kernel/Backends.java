package org.bptt.api.kernel;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bptt.api.plugin.ConfigurationException;

/**
 * Chooses the kernel backend: a guard chain over the {@link KernelsProvider}s that
 * {@link ServiceLoader} finds, best priority first, ending at the scalar reference (select {@code "scalar"}).
 * When a faster backend was expected but cannot run, ONE warning says why and how to
 * enable it; the platform then keeps working on the scalar kernels.
 */
public final class Backends {
    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

    private Backends() {}

    /** Names accepted by {@link #select}: {@code auto}, {@code scalar}, or a provider's name. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(List.of("auto", "scalar"));
        for (KernelsProvider p : providers()) {
            names.add(p.name());
        }
        return names;
    }

    /**
     * @param requested {@code auto} for the best usable backend, {@code scalar}, or a provider name
     *                  (which must then be usable)
     * @param threads   threads the backend may use, ≥ 1
     */
    public static Kernels select(String requested, int threads) {
        if (threads < 1) {
            throw new ConfigurationException("threads must be at least 1, got " + threads);
        }
        if ("scalar".equals(requested)) {
            return scalar();
        }
        List<KernelsProvider> providers = providers();
        if (!"auto".equals(requested)) {
            for (KernelsProvider p : providers) {
                if (p.name().equals(requested)) {
                    KernelsProvider.Availability a = p.create(threads);
                    return a.kernels()
                            .orElseThrow(() -> new ConfigurationException(
                                    "backend '" + requested + "' is not usable here: " + a.reason()));
                }
            }
            throw new ConfigurationException(
                    "unknown backend '" + requested + "'; known: " + String.join(", ", names()));
        }
        String reason = "no SIMD backend (rnn-cpu-simd) is on the class path";
        for (KernelsProvider p : providers) {
            KernelsProvider.Availability a = p.create(threads);
            if (a.kernels().isPresent()) {
                Kernels k = a.kernels().get();
                if (ANNOUNCED.compareAndSet(false, true)) {
                    LOG.log(
                            Level.DEBUG,
                            "kernel backend: " + k.name() + ", " + k.vectorBitSize() + "-bit vectors, " + threads
                                    + " thread(s)");
                }
                return k;
            }
            reason = a.reason();
        }
        if (WARNED.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "SIMD kernels are off, using the scalar ones: " + reason);
        }
        return scalar();
    }

    /** The scalar reference backend: plain loops, single-threaded. */
    @SuppressWarnings("deprecation") // the class stays public for 0.1.0 plugins; this is its one construction
    private static Kernels scalar() {
        return new ScalarKernels();
    }

    private static List<KernelsProvider> providers() {
        List<KernelsProvider> list = new ArrayList<>();
        for (KernelsProvider p : ServiceLoader.load(KernelsProvider.class, Backends.class.getClassLoader())) {
            list.add(p);
        }
        list.sort(Comparator.comparingInt(KernelsProvider::priority).reversed());
        return list;
    }
}

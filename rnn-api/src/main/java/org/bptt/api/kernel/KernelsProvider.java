package org.bptt.api.kernel;

import java.util.Optional;

/**
 * A backend found by {@link java.util.ServiceLoader}. The provider class itself must load
 * without touching optional JDK modules: {@link #create()} is where a provider checks
 * that what it needs is there, and says why not otherwise.
 */
public interface KernelsProvider {

    /** Stable backend name, e.g. {@code simd}. */
    String name();

    /** Higher wins when several providers are usable. The scalar reference is 0. */
    int priority();

    /**
     * Creates the backend, or explains why it cannot run here.
     *
     * @param threads how many threads the backend may use (≥ 1)
     */
    Availability create(int threads);

    /** Either a backend or the one-sentence reason it is unavailable. */
    record Availability(Optional<Kernels> kernels, String reason) {
        public static Availability of(Kernels k) {
            return new Availability(Optional.of(k), "");
        }

        public static Availability unavailable(String reason) {
            return new Availability(Optional.empty(), reason);
        }
    }
}

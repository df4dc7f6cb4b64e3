package org.bptt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import org.bptt.api.kernel.Backends;
import org.bptt.api.kernel.Kernels;
import org.bptt.api.kernel.KernelsProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The provider is found by name through ServiceLoader and wins the "auto" selection. */
final class TestSimdKernelsProvider {

    @Test
    void serviceLoaderFindsSimdByName() {
        KernelsProvider found = null;
        for (KernelsProvider p : ServiceLoader.load(KernelsProvider.class)) {
            if (p.name().equals("simd")) {
                found = p;
            }
        }
        assertTrue(found instanceof SimdKernelsProvider, "simd provider registered in META-INF/services");
        assertEquals(100, found.priority());
    }

    @Test
    void autoSelectsSimdWhenTheVectorModuleIsPresent() {
        Assumptions.assumeTrue(Fixtures.vectorModulePresent(), "jdk.incubator.vector is not in the boot layer");
        Kernels k = Backends.select("auto", 1);
        assertEquals("simd", k.name());
        assertTrue(
                k.vectorBitSize() >= 4 * Float.SIZE, "at least four float lanes, got " + k.vectorBitSize() + " bits");
        assertEquals("simd", Backends.select("simd", 2).name());
    }
}

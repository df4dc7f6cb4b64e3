package org.bptt.simd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The index where packed panels start: on a vector boundary exactly when the JVM places objects
 * on such boundaries, never guessed otherwise. (That the packed products give the same bits at
 * any lead is TestSimdGemm's, run by TestVectorWidths at 256 and 128 bits too.)
 */
final class TestArrayAlignment {

    @Test
    void theLeadPutsTheFirstElementOnAVectorBoundary() {
        for (int vectorBytes : new int[] {16, 32, 64}) {
            for (int alignment : new int[] {64, 128, 256}) {
                for (int base : new int[] {12, 16, 20, 24}) {
                    int lead = ArrayAlignment.firstAlignedIndex(vectorBytes, alignment, base);
                    assertEquals(0, (base + 4 * lead) % vectorBytes, vectorBytes + "/" + alignment + "/" + base);
                    assertTrue(lead >= 0 && 4 * lead < vectorBytes, "the first such index: " + lead);
                }
            }
        }
        assertEquals(12, ArrayAlignment.firstAlignedIndex(64, 64, 16));
        assertEquals(13, ArrayAlignment.firstAlignedIndex(64, 64, 12)); // compact object headers
        assertEquals(4, ArrayAlignment.firstAlignedIndex(32, 64, 16)); // AVX2
    }

    @Test
    void noLeadWhereTheJvmDoesNotAlignObjectsToVectors() {
        assertEquals(0, ArrayAlignment.firstAlignedIndex(64, 8, 16)); // the JVM's default alignment
        assertEquals(0, ArrayAlignment.firstAlignedIndex(64, 32, 16));
        assertEquals(0, ArrayAlignment.firstAlignedIndex(64, 0, 16)); // alignment unknown
        assertEquals(0, ArrayAlignment.firstAlignedIndex(64, 64, -1)); // layout unknown
        assertEquals(0, ArrayAlignment.firstAlignedIndex(64, 64, 18));
    }

    @Test
    void thisJvmRunsWithThePlatformsAlignmentAndTheGemmsUseIt() {
        // surefire starts this JVM with the JIT group of jvm.properties, -XX:ObjectAlignmentInBytes=64 among it.
        assertTrue(ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:ObjectAlignmentInBytes=64"));
        int vectorBytes = Gemm.S.vectorByteSize();
        assertEquals(ArrayAlignment.firstAlignedIndex(vectorBytes), Gemm.LEAD);
        assertEquals(0, (sun.misc.Unsafe.ARRAY_FLOAT_BASE_OFFSET + 4 * Gemm.LEAD) % vectorBytes);
    }
}

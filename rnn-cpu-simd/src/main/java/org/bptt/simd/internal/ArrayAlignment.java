package org.bptt.simd.internal;

/**
 * Where a float array's elements meet a vector boundary. A 512-bit load that straddles two
 * cache lines costs two, and the JVM places arrays on 8-byte boundaries only: the same GEMM
 * ran at 155–163 GFLOP/s with B at seven of eight offsets and at 198–205 with B on a 64-byte
 * boundary (32×256×768, AMD EPYC, docs/performance.md). Which offset that is changes from one
 * JVM start, and one collection, to the next. With {@code -XX:ObjectAlignmentInBytes=64}
 * (rnn's JVM options) every array starts at the same offset from a 64-byte boundary, the
 * array header's length, so one index of every float array is vector-aligned, for good: the
 * kernels put the panels they pack there.
 */
final class ArrayAlignment {
    private ArrayAlignment() {}

    /**
     * The first index of every float array that lies on a boundary of {@code vectorBytes},
     * or 0 when the JVM does not align arrays that coarsely (then no index is known to).
     */
    static int firstAlignedIndex(int vectorBytes) {
        return firstAlignedIndex(vectorBytes, objectAlignment(), arrayBaseOffset());
    }

    /** The same from the JVM's facts: its object alignment and a float array's first element's offset. */
    static int firstAlignedIndex(int vectorBytes, int objectAlignment, int baseOffset) {
        if (vectorBytes <= 0
                || objectAlignment <= 0
                || objectAlignment % vectorBytes != 0
                || baseOffset < 0
                || baseOffset % Float.BYTES != 0) {
            return 0;
        }
        return (vectorBytes - baseOffset % vectorBytes) % vectorBytes / Float.BYTES;
    }

    private static int objectAlignment() {
        String v = VmOption.value("ObjectAlignmentInBytes");
        return v.matches("\\d{1,4}") ? Integer.parseInt(v) : 0; // 0: unknown
    }

    @SuppressWarnings("removal")
    private static int arrayBaseOffset() {
        try {
            // A constant of the JVM's object layout (16, or 12 with compact object headers); reading it
            // touches no memory and prints none of JDK 24's warnings about Unsafe's memory access.
            return sun.misc.Unsafe.ARRAY_FLOAT_BASE_OFFSET;
        } catch (LinkageError e) {
            return -1;
        }
    }
}

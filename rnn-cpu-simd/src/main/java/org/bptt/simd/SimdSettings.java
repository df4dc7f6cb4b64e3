package org.bptt.simd;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bptt.api.plugin.ConfigurationException;

/**
 * The knobs of the SIMD kernels that {@code rnn tune} searches: the GEMMs' register tiles and
 * K-blocks, and the thresholds that choose between kernel variants and thread splits.
 *
 * <p>None of them changes a result's bits. In the outer-product GEMM every C element is
 * {@code c = fma(a_ip, b_pj, c)} for p = 0, 1, … in order whatever tile holds it, and between
 * K-blocks the partial sum is the C element itself, stored and reloaded exactly; copying or
 * packing A or B and blocking rows move floats without arithmetic; thread splits are by blocks of C or by batch
 * rows, never by the reduction. The choices that would change bits are kept out: the dot-product
 * form of C += A·Bᵀ for few rows (its lane partial sums add in another order than the
 * outer-product form), a K-split into separate partial sums, FMA against multiply-then-add, and
 * the vector width (set by the JVM, not by a setting).
 *
 * @param tileRows         rows of the GEMMs' main register tile: 4, 6 or 8
 * @param tileVectors      vectors of columns of the main register tile: 2, 3 or 4 (valid shapes: {@link #TILES})
 * @param kc               K-block of the outer-product GEMM and of the packed B layout
 * @param kcCopy           K-block of the cache-blocked GEMM (products of many rows), which copies each K-block of B
 * @param mc               row block of the cache-blocked GEMM: an mc×kcCopy block of A stays in L2 while B's panels pass
 * @param copyMinRows      rows of C from which a product takes the cache-blocked GEMM ({@link Integer#MAX_VALUE}: never)
 * @param copyAMinPanels   panels of B (of the tile's width) from which the cache-blocked GEMM also copies a transposed A
 *                         into rows ({@link Integer#MAX_VALUE}: never), sparing the TLB a new page at every step of k
 * @param parallelFlops    the smallest product (2·m·n·k) handed to other threads
 * @param splitWeightBytes the largest per-step shared data (a recurrent weight matrix) for which
 *                         {@link org.bptt.api.kernel.Kernels#recurrenceParts} splits a recurrence
 *                         by batch rows; above it each product is split by columns instead
 * @param streamTileRows    rows of the register tile of packed products whose B has at least
 *                          {@code streamMinBytes}: a B that streams from beyond a core's cache at every
 *                          step is best passed over by the fewest row tiles
 * @param streamTileVectors vectors of columns of that tile
 * @param streamMinBytes    bytes of a packed B (4·k·n) from which it is multiplied with the stream tile
 *                          ({@link Long#MAX_VALUE}: never)
 */
public record SimdSettings(
        int tileRows,
        int tileVectors,
        int kc,
        int kcCopy,
        int mc,
        int copyMinRows,
        int copyAMinPanels,
        long parallelFlops,
        long splitWeightBytes,
        int streamTileRows,
        int streamTileVectors,
        long streamMinBytes) {

    /** Register tiles the GEMMs have, rows × vectors. 6x4 and 8x3 need 32 vector registers (AVX-512), the others fit 16 (AVX2). */
    public static final List<String> TILES = List.of("6x4", "4x4", "8x3", "4x3", "6x2", "4x2");

    public SimdSettings {
        if (!TILES.contains(tileRows + "x" + tileVectors)) {
            throw new IllegalArgumentException("tile " + tileRows + "x" + tileVectors + " is not one of " + TILES);
        }
        if (!TILES.contains(streamTileRows + "x" + streamTileVectors)) {
            throw new IllegalArgumentException(
                    "stream tile " + streamTileRows + "x" + streamTileVectors + " is not one of " + TILES);
        }
        positive("kc", kc);
        positive("kcCopy", kcCopy);
        positive("mc", mc);
        positive("copyMinRows", copyMinRows);
        positive("copyAMinPanels", copyAMinPanels);
        if (kc > 1 << 16 || kcCopy > 1 << 16 || mc > 1 << 16) {
            throw new IllegalArgumentException(
                    "blocks above 65536 are not supported, got " + kc + ", " + kcCopy + " and " + mc);
        }
        if (parallelFlops < 0 || splitWeightBytes < 0 || streamMinBytes < 0) {
            throw new IllegalArgumentException("thresholds must be 0 or more, got " + parallelFlops + ", "
                    + splitWeightBytes + " and " + streamMinBytes);
        }
    }

    /** The settings as they were before the stream tile existed: every packed product takes the main tile. */
    public SimdSettings(
            int tileRows,
            int tileVectors,
            int kc,
            int kcCopy,
            int mc,
            int copyMinRows,
            int copyAMinPanels,
            long parallelFlops,
            long splitWeightBytes) {
        this(
                tileRows,
                tileVectors,
                kc,
                kcCopy,
                mc,
                copyMinRows,
                copyAMinPanels,
                parallelFlops,
                splitWeightBytes,
                tileRows,
                tileVectors,
                Long.MAX_VALUE);
    }

    private static void positive(String name, long v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + v);
        }
    }

    /**
     * The safe choice for a CPU nothing was measured on. 512-bit vectors come with 32 registers
     * (AVX-512): 6 rows × 4 vectors. Narrower vectors may have only 16 (AVX2), where 6x4's 24
     * accumulators would spill: 6 rows × 2 vectors, BLIS's Haswell shape. Block sizes and
     * thresholds as measured on an AVX-512 machine (docs/performance.md). With 32 registers, a
     * packed B of 1 MiB or more (a core's L2) is multiplied with 8x3: four passes of 8 rows over
     * each panel for a batch of 32 where 6x4 makes six, while B streams from L3 at every step.
     */
    public static SimdSettings defaults(int vectorBits) {
        return vectorBits >= 512
                ? new SimdSettings(6, 4, 256, 128, 192, 96, 8, 1L << 22, 1L << 20, 8, 3, 1L << 20)
                : new SimdSettings(6, 2, 256, 128, 192, 96, 8, 1L << 22, 1L << 20, 6, 2, 1L << 20);
    }

    /** The tile as written in the cache file: rows x vectors. */
    public String tile() {
        return tileRows + "x" + tileVectors;
    }

    /** The stream tile as written in the cache file: rows x vectors. */
    public String streamTile() {
        return streamTileRows + "x" + streamTileVectors;
    }

    public SimdSettings withTile(String tile) {
        return with("tile", tile);
    }

    public SimdSettings withKc(int v) {
        return with("kc", v);
    }

    public SimdSettings withKcCopy(int v) {
        return with("kc_copy", v);
    }

    public SimdSettings withMc(int v) {
        return with("mc", v);
    }

    public SimdSettings withCopyMinRows(int v) {
        return with("copy_min_rows", v);
    }

    public SimdSettings withCopyAMinPanels(int v) {
        return with("copy_a_min_panels", v);
    }

    public SimdSettings withParallelFlops(long v) {
        return with("parallel_flops", v);
    }

    public SimdSettings withSplitWeightBytes(long v) {
        return with("split_weight_bytes", v);
    }

    public SimdSettings withStreamTile(String tile) {
        return with("stream_tile", tile);
    }

    public SimdSettings withStreamMinBytes(long v) {
        return with("stream_min_bytes", v);
    }

    private static int[] parseTile(String tile) {
        if (tile == null || !TILES.contains(tile)) {
            throw new IllegalArgumentException("tile '" + tile + "' is not one of " + TILES);
        }
        String[] p = tile.split("x");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }

    /** Values the tuner tries for each knob, by the name the cache file gives it. */
    public static Map<String, List<Object>> candidates() {
        Map<String, List<Object>> m = new LinkedHashMap<>();
        m.put("tile", new ArrayList<>(TILES));
        m.put("kc", List.of(128, 256, 512));
        m.put("kc_copy", List.of(64, 128, 256, 512));
        m.put("mc", List.of(48, 96, 192, 384, 768));
        m.put("copy_min_rows", List.of(48, 96, 192, Integer.MAX_VALUE));
        m.put("copy_a_min_panels", List.of(1, 4, 8, 16, Integer.MAX_VALUE));
        m.put("parallel_flops", List.of(1L << 20, 1L << 21, 1L << 22, 1L << 23, 1L << 24));
        m.put("split_weight_bytes", List.of(0L, 1L << 18, 1L << 20, 1L << 22, 1L << 24));
        m.put("stream_tile", new ArrayList<>(TILES));
        m.put("stream_min_bytes", List.of(0L, 1L << 18, 1L << 20, 1L << 22, Long.MAX_VALUE));
        return m;
    }

    /** The knobs' names, in the order of {@link #candidates()}: a list to offer where a knob is chosen. */
    public static final class KnobNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return candidates().keySet().iterator();
        }
    }

    /** Refuses, in one sentence, a name that is no knob; {@code what} says where the names came from. */
    public static void requireKnobs(List<String> names, String what) {
        for (String k : names) {
            if (!candidates().containsKey(k)) {
                throw new ConfigurationException(what + ": unknown knob '" + k + "'; known: "
                        + String.join(", ", candidates().keySet()));
            }
        }
    }

    /**
     * This setting with the knob {@code name} (a key of {@link #candidates()}) set to {@code value},
     * checked as a value read from a cache file is.
     */
    public SimdSettings with(String name, Object value) {
        if (!candidates().containsKey(name)) {
            throw new IllegalArgumentException(
                    "unknown knob '" + name + "'; known: " + candidates().keySet());
        }
        Map<String, Object> m = asMap();
        m.put(name, value);
        return fromMap(m);
    }

    /** The value of the knob {@code name}. */
    public Object get(String name) {
        return switch (name) {
            case "tile" -> tile();
            case "kc" -> kc;
            case "kc_copy" -> kcCopy;
            case "mc" -> mc;
            case "copy_min_rows" -> copyMinRows;
            case "copy_a_min_panels" -> copyAMinPanels;
            case "parallel_flops" -> parallelFlops;
            case "split_weight_bytes" -> splitWeightBytes;
            case "stream_tile" -> streamTile();
            case "stream_min_bytes" -> streamMinBytes;
            default ->
                throw new IllegalArgumentException(
                        "unknown knob '" + name + "'; known: " + candidates().keySet());
        };
    }

    /** The settings as knob name → value, in the order of {@link #candidates()}. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : candidates().keySet()) {
            m.put(k, get(k));
        }
        return m;
    }

    /** Knobs a file written before they existed may lack: without them, it means what it meant then. */
    private static final List<String> LATER_KNOBS = List.of("stream_tile", "stream_min_bytes");

    /**
     * The settings from knob name → value (numbers as any {@link Number}); every knob must be there
     * but the stream tile's, which a file written before it existed lacks: every packed product
     * then takes the main tile, as it did when the file was written.
     */
    public static SimdSettings fromMap(Map<String, ?> m) {
        for (String k : candidates().keySet()) {
            if (!m.containsKey(k) && !LATER_KNOBS.contains(k)) {
                throw new IllegalArgumentException("the setting '" + k + "' is missing");
            }
        }
        for (String k : m.keySet()) {
            if (!candidates().containsKey(k)) {
                throw new IllegalArgumentException(
                        "unknown setting '" + k + "'; known: " + candidates().keySet());
            }
        }
        Object tile = m.get("tile");
        if (!(tile instanceof String t)) {
            throw new IllegalArgumentException("the setting 'tile' must be a string such as \"6x4\", got " + tile);
        }
        int[] rt = parseTile(t);
        if (m.containsKey("stream_tile") != m.containsKey("stream_min_bytes")) {
            throw new IllegalArgumentException(
                    "the settings 'stream_tile' and 'stream_min_bytes' come together, one is missing");
        }
        int[] st = rt;
        long streamMinBytes = Long.MAX_VALUE;
        if (m.containsKey("stream_tile")) {
            if (!(m.get("stream_tile") instanceof String s)) {
                throw new IllegalArgumentException(
                        "the setting 'stream_tile' must be a string such as \"8x3\", got " + m.get("stream_tile"));
            }
            st = parseTile(s);
            streamMinBytes = longValue(m, "stream_min_bytes");
        }
        return new SimdSettings(
                rt[0],
                rt[1],
                intValue(m, "kc"),
                intValue(m, "kc_copy"),
                intValue(m, "mc"),
                intValue(m, "copy_min_rows"),
                intValue(m, "copy_a_min_panels"),
                longValue(m, "parallel_flops"),
                longValue(m, "split_weight_bytes"),
                st[0],
                st[1],
                streamMinBytes);
    }

    private static long longValue(Map<String, ?> m, String k) {
        if (!(m.get(k) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("the setting '" + k + "' must be a whole number, got " + m.get(k));
        }
        return n.longValue();
    }

    private static int intValue(Map<String, ?> m, String k) {
        long v = longValue(m, k);
        if (v != (int) v) {
            throw new IllegalArgumentException("the setting '" + k + "' is out of range: " + v);
        }
        return (int) v;
    }

    /** A knob's value as people read it: the largest int or long, which stands for "never", as {@code never}. */
    static Object shown(Object v) {
        return v instanceof Integer i && i == Integer.MAX_VALUE || v instanceof Long l && l == Long.MAX_VALUE
                ? "never"
                : v;
    }

    /** One line: {@code tile 6x4, kc 256, …}. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        asMap().forEach((k, v) -> {
            if (!s.isEmpty()) {
                s.append(", ");
            }
            s.append(k).append(' ').append(shown(v));
        });
        return s.toString().toLowerCase(Locale.ROOT);
    }
}

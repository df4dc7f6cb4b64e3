package org.bptt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bptt.simd.internal.MiniJson;
import org.bptt.simd.internal.PairedTiming;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tuning cache: a file written for this machine is read back with its settings; a file for
 * another machine, a damaged one, or one with an unknown or out-of-range setting is ignored and
 * the defaults are used; switching tuning off ignores a good file. And the paired timing that
 * decides between settings tells twice the work from the same work.
 */
final class TestSimdTuning {
    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        System.clearProperty(SimdTuning.CACHE_PROPERTY);
        System.clearProperty(SimdTuning.ENABLE_PROPERTY);
        SimdTuning.forget();
    }

    private SimdTuning.Machine useTempCache() {
        System.setProperty(SimdTuning.CACHE_PROPERTY, dir.toString());
        SimdTuning.forget();
        return SimdTuning.machine(512);
    }

    private static SimdTuning.Stored stored(SimdTuning.Machine m, SimdSettings s) {
        return new SimdTuning.Stored(m, s, 123.5, "25", "2026-01-01T00:00:00Z", Map.of("note", "test"));
    }

    @Test
    void aWrittenFileIsReadBackAndUsed() throws IOException {
        SimdTuning.Machine m = useTempCache();
        SimdSettings tuned =
                SimdSettings.defaults(512).withTile("8x3").withKc(512).withCopyMinRows(Integer.MAX_VALUE);
        SimdTuning.write(SimdTuning.file(m), stored(m, tuned));
        assertTrue(SimdTuning.file(m).startsWith(dir), SimdTuning.file(m).toString());
        SimdTuning.Stored back = SimdTuning.read(SimdTuning.file(m), m);
        assertEquals(tuned, back.settings());
        assertEquals(123.5, back.fmaPeakGflops());
        SimdTuning.Active a = SimdTuning.active(512);
        assertTrue(a.tuned(), a.source());
        assertEquals(tuned, a.settings());
        assertTrue(a.source().contains(SimdTuning.file(m).toString()), a.source());
        // No temporary file is left beside it.
        try (var files = Files.list(dir)) {
            assertEquals(List.of(SimdTuning.file(m)), files.toList());
        }
    }

    @Test
    void switchedOffIgnoresAGoodFile() throws IOException {
        SimdTuning.Machine m = useTempCache();
        SimdTuning.write(
                SimdTuning.file(m), stored(m, SimdSettings.defaults(512).withTile("4x4")));
        System.setProperty(SimdTuning.ENABLE_PROPERTY, "off");
        SimdTuning.forget();
        SimdTuning.Active a = SimdTuning.active(512);
        assertFalse(a.tuned());
        assertEquals(SimdSettings.defaults(512), a.settings());
    }

    @Test
    void withoutAFileTheDefaultsAreUsed() {
        useTempCache();
        SimdTuning.Active a = SimdTuning.active(256);
        assertFalse(a.tuned());
        assertEquals(SimdSettings.defaults(256), a.settings());
        assertEquals("6x2", a.settings().tile(), "below 512 bits the default tile fits 16 registers");
        assertEquals("6x4", SimdSettings.defaults(512).tile());
        assertTrue(a.source().startsWith("defaults (not tuned"), a.source());
    }

    @Test
    void badFilesAreIgnoredWithTheReason() throws IOException {
        SimdTuning.Machine m = useTempCache();
        Path f = SimdTuning.file(m);
        String good = MiniJson.write(Map.of(
                "format",
                1,
                "machine",
                m.key(),
                "settings",
                SimdSettings.defaults(512).asMap()));
        Map<String, String> bad = Map.of(
                "not json", "{ \"format\": 1, ",
                "another machine", good.replace(m.key(), "Some Other CPU, 512-bit vectors"),
                "unknown setting", good.replace("\"kc\"", "\"kz\""),
                "impossible tile", good.replace("\"6x4\"", "\"5x5\""),
                "impossible stream tile", good.replace("\"8x3\"", "\"5x5\""),
                "negative stream threshold", good.replace("\"stream_min_bytes\": 1048576", "\"stream_min_bytes\": -1"),
                "fraction", good.replace("\"kc\": 256", "\"kc\": 256.5"),
                "negative", good.replace("\"kc\": 256", "\"kc\": -1"),
                "format", good.replace("\"format\": 1", "\"format\": 9"));
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Files.writeString(f, e.getValue());
            SimdTuning.forget();
            SimdTuning.Active a = SimdTuning.active(512);
            assertFalse(a.tuned(), e.getKey());
            assertEquals(SimdSettings.defaults(512), a.settings(), e.getKey());
            assertTrue(a.source().contains("ignored"), e.getKey() + ": " + a.source());
            assertThrows(IllegalArgumentException.class, () -> SimdTuning.read(f, m), e.getKey());
        }
        // The good one, to show the mutations above were what broke them.
        Files.writeString(f, good);
        SimdTuning.forget();
        assertTrue(SimdTuning.active(512).tuned());
    }

    /**
     * A file written before the stream tile existed means what it meant then: every packed product
     * with the main tile. One that has only one of the two stream knobs is damaged.
     */
    @Test
    void aFileFromBeforeTheStreamTileKeepsItsMeaning() throws IOException {
        SimdTuning.Machine m = useTempCache();
        Path f = SimdTuning.file(m);
        SimdSettings tuned = SimdSettings.defaults(512).withTile("4x4").withKc(128);
        Map<String, Object> settings = new java.util.LinkedHashMap<>(tuned.asMap());
        settings.remove("stream_tile");
        settings.remove("stream_min_bytes");
        Files.writeString(f, MiniJson.write(Map.of("format", 1, "machine", m.key(), "settings", settings)));
        SimdTuning.forget();
        SimdTuning.Active a = SimdTuning.active(512);
        assertTrue(a.tuned(), a.source());
        assertEquals(tuned.withStreamTile("4x4").withStreamMinBytes(Long.MAX_VALUE), a.settings());
        assertEquals("4x4", a.settings().streamTile());

        settings.put("stream_tile", "8x3");
        Files.writeString(f, MiniJson.write(Map.of("format", 1, "machine", m.key(), "settings", settings)));
        SimdTuning.forget();
        assertFalse(SimdTuning.active(512).tuned(), "a stream tile without its threshold");
        assertThrows(IllegalArgumentException.class, () -> SimdTuning.read(f, m));
    }

    /** A FIFO in place of the cache would block every run that reads it: it is ignored, with its reason, unopened. */
    @Test
    void aFifoAsTheCacheIsIgnoredWithoutBlocking() throws Exception {
        SimdTuning.Machine m = useTempCache();
        Path f = SimdTuning.file(m);
        Files.createDirectories(f.getParent());
        Process mk = new ProcessBuilder("mkfifo", f.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is available");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimdTuning.read(f, m));
        assertEquals("it is a FIFO, device or socket, not a regular file", e.getMessage());
        SimdTuning.forget();
        SimdTuning.Active a = SimdTuning.active(512);
        assertFalse(a.tuned());
        assertTrue(a.source().contains("ignored: it is a FIFO"), a.source());
    }

    /** The cache is written by the platform's one atomic writer: its temporary carries the marker and is gone after. */
    @Test
    void theCacheIsWrittenAtomicallyAndLeavesNoTemporary() throws IOException {
        SimdTuning.Machine m = useTempCache();
        Path f = SimdTuning.file(m);
        Files.createDirectories(f.getParent());
        Files.createSymbolicLink(f, f.getParent().resolve("elsewhere.json"));
        SimdTuning.write(f, new SimdTuning.Stored(m, SimdSettings.defaults(512), Double.NaN, "21", "now", Map.of()));
        assertFalse(Files.isSymbolicLink(f), "a link at the cache's place is replaced, not written through");
        assertFalse(Files.exists(f.getParent().resolve("elsewhere.json")));
        try (var s = Files.list(f.getParent())) {
            assertEquals(
                    List.of(f.getFileName().toString()),
                    s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void theMachineKeyNamesCpuAndWidth() {
        SimdTuning.Machine m = SimdTuning.machine(256);
        assertTrue(m.key().contains("256-bit vectors"), m.key());
        assertTrue(m.key().startsWith(SimdTuning.cpuModel()), m.key());
        assertTrue(m.slug().matches("[a-z0-9-]+"), m.slug());
        assertFalse(SimdTuning.file(m).equals(SimdTuning.file(SimdTuning.machine(512))));
    }

    @Test
    void settingsRoundTripThroughTheirMap() {
        for (SimdSettings s : TestSettingsKeepBits.candidatesAt(512)) {
            assertEquals(s, SimdSettings.fromMap(s.asMap()));
            Object parsed = MiniJson.parse(MiniJson.write(s.asMap()));
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) parsed;
            assertEquals(s, SimdSettings.fromMap(m));
        }
        assertThrows(
                IllegalArgumentException.class, () -> SimdSettings.defaults(512).withTile("3x3"));
        assertThrows(IllegalArgumentException.class, () -> MiniJson.parse("{\"a\": 1, \"a\": 2}"));
        assertThrows(IllegalArgumentException.class, () -> MiniJson.parse("[1, 2] x"));
    }

    @Test
    void pairedTimingTellsTwiceTheWorkFromTheSame() {
        // A simulated machine: work advances a clock, and other processes' load adds a burst of
        // up to 3x the work to a third of the runs. One run per timing (0.05 ms < the work): the
        // fastest of seven rounds is an unloaded run, so the ratios are the work's, exactly.
        SimulatedMachine m = new SimulatedMachine(11);
        Runnable once = () -> m.work(100_000);
        Runnable twice = () -> m.work(200_000);
        PairedTiming.Outcome same = PairedTiming.compare(List.of("w"), List.of(once), List.of(once), 7, 0.05, m::now);
        PairedTiming.Outcome more = PairedTiming.compare(List.of("w"), List.of(once), List.of(twice), 7, 0.05, m::now);
        PairedTiming.Outcome less = PairedTiming.compare(List.of("w"), List.of(twice), List.of(once), 7, 0.05, m::now);
        assertEquals(1.0, same.ratio(), 1e-12, "same work");
        assertEquals(2.0, more.ratio(), 1e-12, "twice the work");
        assertEquals(0.5, less.ratio(), 1e-12, "half the work");
    }

    /** A deterministic clock that work advances, with random load bursts on a third of the work. */
    private static final class SimulatedMachine {
        private final java.util.Random random;
        private long now;

        SimulatedMachine(long seed) {
            random = new java.util.Random(seed);
        }

        void work(long nanos) {
            now += nanos;
            if (random.nextInt(3) == 0) {
                now += (long) (random.nextDouble() * 3 * nanos);
            }
        }

        long now() {
            return now;
        }
    }
}

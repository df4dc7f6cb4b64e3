package org.bptt.simd;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bptt.api.internal.io.AtomicFile;
import org.bptt.api.internal.io.PlainFiles;
import org.bptt.simd.internal.MiniJson;

/**
 * Where tuned kernel settings live and which ones the SIMD backend runs with. One small JSON
 * file per machine kind — CPU model, vector width and, on x86 HotSpot, the JVM's {@code UseAVX}
 * level (which decides how many vector registers the JIT may use) — in a per-user cache folder:
 * {@value #CACHE_PROPERTY} if set, else {@code $XDG_CACHE_HOME/rnn}, else {@code ~/.cache/rnn}.
 *
 * <p>Without a file for this machine the kernels run with {@link SimdSettings#defaults}. A file
 * that cannot be read, is damaged, names another machine or holds a setting this version does
 * not know is ignored with one warning, and the defaults are used. Setting the system property
 * {@value #ENABLE_PROPERTY} or the environment variable {@value #ENABLE_ENV} to {@code off}
 * ignores the cache. Since no setting changes a result's bits, which file is used only changes
 * speed.
 */
public final class SimdTuning {
    private static final System.Logger LOG = System.getLogger(SimdTuning.class.getName());

    /** System property naming the cache folder. */
    public static final String CACHE_PROPERTY = "rnn.cache.dir";
    /** System property that, set to {@code off}, makes the kernels ignore tuned settings. */
    public static final String ENABLE_PROPERTY = "rnn.tuning";
    /** Environment variable with the same effect as {@link #ENABLE_PROPERTY}. */
    public static final String ENABLE_ENV = "RNN_TUNING";
    /** Version of the file's layout. */
    public static final int FORMAT = 1;

    private static final Map<String, Active> ACTIVE = new ConcurrentHashMap<>();

    private SimdTuning() {}

    /**
     * A machine kind: what tuned settings are cached for.
     *
     * @param cpu        the CPU's model name (with family and model numbers where the OS gives them)
     * @param vectorBits width of the preferred vector
     * @param avx        the JVM's UseAVX level on x86 HotSpot, or "" where there is none
     */
    public record Machine(String cpu, int vectorBits, String avx) {
        /** One line: {@code AMD EPYC (family 26, model 2), 512-bit vectors, UseAVX=3}. */
        public String key() {
            return cpu + ", " + vectorBits + "-bit vectors" + (avx.isEmpty() ? "" : ", UseAVX=" + avx);
        }

        /** The key as a file name part: lower case letters, digits and dashes. */
        public String slug() {
            String s =
                    key().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
            return s.length() > 100 ? s.substring(0, 100) : s;
        }
    }

    /** This machine, for the given vector width. */
    public static Machine machine(int vectorBits) {
        return new Machine(cpuModel(), vectorBits, useAvx());
    }

    /** The CPU's model name from /proc/cpuinfo, else the architecture's name. */
    public static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8);
            String model = field(lines, "model name");
            if (model != null && !model.isEmpty()) {
                String family = field(lines, "cpu family");
                String number = field(lines, "model");
                return family != null && number != null
                        ? model + " (family " + family + ", model " + number + ")"
                        : model;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: the architecture is the best we know.
        }
        return System.getProperty("os.arch", "unknown") + " CPU";
    }

    private static String field(List<String> lines, String name) {
        for (String l : lines) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).strip().equals(name)) {
                return l.substring(colon + 1).strip().replaceAll("\\s+", " ");
            }
        }
        return null;
    }

    private static String useAvx() {
        return org.bptt.simd.internal.VmOption.value("UseAVX"); // "" when not HotSpot on x86
    }

    /** The cache folder. */
    public static Path directory() {
        String dir = System.getProperty(CACHE_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "rnn");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "rnn");
    }

    /** The cache file of a machine kind. */
    public static Path file(Machine m) {
        return directory().resolve("simd-" + m.slug() + ".json");
    }

    /**
     * What a cache file holds.
     *
     * @param machine       the machine kind it was measured on
     * @param settings      the chosen settings (the defaults when nothing measured clearly faster)
     * @param fmaPeakGflops one core's measured FMA peak at this vector width, GFLOP/s (NaN if not measured)
     * @param jdk           the Java version it was measured with
     * @param tunedAt       when, ISO-8601
     * @param details       the measurements behind the choice (written as they are, not read back)
     */
    public record Stored(
            Machine machine,
            SimdSettings settings,
            double fmaPeakGflops,
            String jdk,
            String tunedAt,
            Map<String, Object> details) {}

    /** Writes {@code s} to {@code file} with the platform's atomic writer (a link at its place is replaced, never written through). */
    public static void write(Path file, Stored s) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("machine", s.machine().key());
        m.put("cpu", s.machine().cpu());
        m.put("vector_bits", s.machine().vectorBits());
        m.put("use_avx", s.machine().avx());
        m.put("jdk", s.jdk());
        m.put("tuned_at", s.tunedAt());
        m.put("fma_peak_gflops", Double.isFinite(s.fmaPeakGflops()) ? s.fmaPeakGflops() : null);
        m.put("settings", s.settings().asMap());
        m.put("measurements", s.details());
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        AtomicFile.writeString(file, MiniJson.write(m));
        ACTIVE.clear();
    }

    /**
     * Reads a cache file written for {@code expected}.
     *
     * @throws NoSuchFileException when there is none
     * @throws IOException when it cannot be read
     * @throws IllegalArgumentException when its content is not a valid tuning of this machine kind (the message says what)
     */
    public static Stored read(Path file, Machine expected) throws IOException {
        String other = PlainFiles.notRegular(file);
        if (other != null) {
            // A FIFO would block every run that reads the cache.
            throw new IllegalArgumentException("it is " + other + ", not a regular file");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (!(MiniJson.parse(text) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (!(m.get("format") instanceof Long f) || f != FORMAT) {
            throw new IllegalArgumentException("format " + m.get("format") + " is not " + FORMAT);
        }
        if (!expected.key().equals(m.get("machine"))) {
            throw new IllegalArgumentException(
                    "it was measured on '" + m.get("machine") + "', this is '" + expected.key() + "'");
        }
        if (!(m.get("settings") instanceof Map<?, ?> settings)) {
            throw new IllegalArgumentException("'settings' is missing");
        }
        Map<String, Object> sm = new LinkedHashMap<>();
        settings.forEach((k, v) -> sm.put(String.valueOf(k), v));
        SimdSettings parsed = SimdSettings.fromMap(sm);
        double peak = m.get("fma_peak_gflops") instanceof Number n ? n.doubleValue() : Double.NaN;
        Map<String, Object> details = new LinkedHashMap<>();
        if (m.get("measurements") instanceof Map<?, ?> d) {
            d.forEach((k, v) -> details.put(String.valueOf(k), v));
        }
        return new Stored(
                expected, parsed, peak, String.valueOf(m.get("jdk")), String.valueOf(m.get("tuned_at")), details);
    }

    /**
     * The settings the SIMD backend runs with and where they came from.
     *
     * @param settings the settings
     * @param source   one line: the file they came from, or why the defaults are used
     * @param stored   the file's content, or null when the defaults are used
     */
    public record Active(SimdSettings settings, String source, Stored stored) {
        public boolean tuned() {
            return stored != null;
        }
    }

    /**
     * The settings for this machine at {@code vectorBits}: the cache file's, else the defaults.
     * Read once per process and machine kind; a damaged file is reported once.
     */
    public static Active active(int vectorBits) {
        Machine m = machine(vectorBits);
        return ACTIVE.computeIfAbsent(m.key(), key -> load(m));
    }

    private static Active load(Machine m) {
        SimdSettings defaults = SimdSettings.defaults(m.vectorBits());
        String switchValue = System.getProperty(ENABLE_PROPERTY, System.getenv(ENABLE_ENV));
        if (switchValue != null && switchValue.strip().equalsIgnoreCase("off")) {
            return new Active(defaults, "defaults (tuning switched off)", null);
        }
        Path file = file(m);
        try {
            Stored s = read(file, m);
            return new Active(s.settings(), "tuned on " + s.tunedAt() + " (" + file + ")", s);
        } catch (NoSuchFileException e) {
            return new Active(defaults, "defaults (not tuned on this machine: no " + file + ")", null);
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.log(
                    Level.WARNING,
                    "ignoring the SIMD tuning file " + file + " (" + why + "); the kernels run with their "
                            + "default settings until this machine is tuned again");
            return new Active(defaults, "defaults (" + file + " ignored: " + why + ")", null);
        }
    }

    /** Forgets what {@link #active} read, so that the next call reads the cache again. */
    public static void forget() {
        ACTIVE.clear();
    }

    /**
     * What this machine runs with at {@code vectorBits}, one fact a line: the machine, the
     * settings, where they come from and, when tuned, the FMA peak measured then.
     */
    public static java.util.List<String> describe(int vectorBits) {
        Active a = active(vectorBits);
        java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of(
                "machine:  " + machine(vectorBits).key(),
                "settings: " + a.settings().describe(),
                "source:   " + a.source()));
        if (a.tuned() && Double.isFinite(a.stored().fmaPeakGflops())) {
            lines.add(String.format(
                    java.util.Locale.ROOT,
                    "FMA peak: %.1f GFLOP/s per core (measured when tuned)",
                    a.stored().fmaPeakGflops()));
        }
        return lines;
    }

    /** Deletes this machine's cache file at {@code vectorBits} (the defaults apply from now on); whether there was one. */
    public static boolean reset(int vectorBits) throws IOException {
        boolean deleted = java.nio.file.Files.deleteIfExists(file(machine(vectorBits)));
        forget();
        return deleted;
    }
}

package org.bptt.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.bptt.api.data.Task;
import org.bptt.api.internal.io.PlainFiles;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.training.FitResult.Outcome;
import org.bptt.training.IterationMetrics;
import org.bptt.training.LossMean;
import org.bptt.training.Network;
import org.bptt.training.config.Checkpoint;
import org.bptt.training.config.Json;
import org.bptt.training.config.RunConfig;
import org.bptt.training.diag.GradientFlowSnapshot;
import org.bptt.training.diag.GradientFlowVerdict;
import org.bptt.training.diag.NetworkFlow;
import org.bptt.training.diag.Spectral;
import org.bptt.training.diag.Spectrum;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.Evaluation;
import org.bptt.training.run.History;
import org.bptt.training.run.RunOutcome;
import org.bptt.training.run.RunSummary;
import org.bptt.training.run.TrainingRun;

/**
 * The runs under one folder and what the page is shown of them, read from their files (or from a
 * {@link LiveRun} of this process) and cached until a file changes. It only reads: nothing is
 * ever written, and nothing outside the folder is read: a run is named by its path relative to
 * the folder, and a name that climbs out of it ({@code ..}), is absolute, or leads out through a
 * symbolic link names no run. Thread-safe.
 */
final class RunStore {
    /** Deepest a run folder may sit below the root. */
    static final int MAX_DEPTH = 6;
    /** Above this cost (samples·T·H²·S) the recorded flow decides alone, as in the reports. */
    private static final double MEASURE_BUDGET = 2e9;

    private final Path root;
    private final Path realRoot;
    private final Plugins plugins;
    private final Map<Path, LiveRun> live = new ConcurrentHashMap<>();
    /** The runs last looked at in full; a few, since one run's history can hold megabytes. */
    private final Map<Path, Cached> cache = lru(32);
    /** Runs' metrics as columns, for group means: more of them than full runs, each smaller. */
    private final Map<Path, CachedCurves> curves = lru(400);

    private final RunIndex index = new RunIndex();
    /** Runs whose files failed to read in full, with why, until they read well. */
    private final Map<Path, String> failures = new ConcurrentHashMap<>();

    RunStore(Path root, Plugins plugins) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.realRoot = this.root.toRealPath();
        this.plugins = plugins;
    }

    Path root() {
        return root;
    }

    private static <V> Map<Path, V> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Path, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Shows {@code run} (a folder under the root) from memory as it trains. */
    void attach(Path folder, LiveRun run) {
        live.put(folder.toAbsolutePath().normalize(), run);
    }

    /** Every run folder under the root (a folder holding config.json), by id, sorted; symbolic links are not followed. */
    List<String> ids() {
        return new ArrayList<>(folders().keySet());
    }

    /**
     * {@link #ids()} with each run's folder. A run folder's own subfolders are not searched: with
     * thousands of runs, listing each one's files would cost more than reading its line.
     */
    private Map<String, Path> folders() {
        Map<String, Path> found = new java.util.TreeMap<>();
        try {
            Files.walkFileTree(root, Set.of(), MAX_DEPTH, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult preVisitDirectory(Path p, BasicFileAttributes a) {
                    if (!p.equals(root)
                            && (p.getFileName().toString().startsWith(".")
                                    || p.getFileName().toString().indexOf('\\') >= 0)) {
                        return java.nio.file.FileVisitResult.SKIP_SUBTREE;
                    }
                    if (Files.isRegularFile(p.resolve(TrainingRun.CONFIG), LinkOption.NOFOLLOW_LINKS)) {
                        found.put(id(p), p);
                        return java.nio.file.FileVisitResult.SKIP_SUBTREE;
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path p, IOException e) {
                    // A folder that vanished or cannot be read while being walked: list what was found.
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // The root itself went away: no runs.
        }
        return found;
    }

    private String id(Path p) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        return rel.isEmpty() ? "." : rel;
    }

    /**
     * The run folder an id names, or null when it names none: absent, not a run, or outside the
     * root (by {@code ..}, an absolute path, or a symbolic link anywhere on the way).
     */
    Path resolve(String id) {
        if (id == null
                || id.isEmpty()
                || id.length() > 1000
                || id.indexOf('\0') >= 0
                || id.indexOf('\\') >= 0
                || id.startsWith("/")) {
            return null;
        }
        Path p = root;
        if (!id.equals(".")) {
            String[] parts = id.split("/", -1);
            if (parts.length > MAX_DEPTH) {
                return null;
            }
            for (String part : parts) {
                // A hidden folder is not listed (ids()), so it is not served either.
                if (part.isEmpty() || part.startsWith(".")) {
                    return null;
                }
                p = p.resolve(part);
                if (Files.isSymbolicLink(p)) {
                    return null;
                }
            }
        }
        try {
            Path real = p.toRealPath();
            if (!real.startsWith(realRoot)
                    || !Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)
                    || !Files.isRegularFile(real.resolve(TrainingRun.CONFIG), LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return p;
    }

    /** The run's name on the page: its folder relative to the root, or the root's own name for the root. */
    String name(String id) {
        return id.equals(".")
                ? (root.getFileName() == null
                        ? root.toString()
                        : root.getFileName().toString())
                : id;
    }

    /**
     * The runs' lines, from the index: their small files only, each read once per change. One
     * caller at a time: a second waits for the first's reads instead of repeating them.
     */
    synchronized List<RunIndex.Line> lines() {
        return index.lines(folders(), name("."));
    }

    /**
     * One line per run for the list: id, name, title, progress, status and the settings named in
     * {@code keys} (those that differ between runs: the others are said once, not per run).
     */
    List<Map<String, Object>> listing(List<RunIndex.Line> lines, Set<String> keys) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (RunIndex.Line line : lines) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", line.id());
            m.put("name", line.name());
            m.put("title", line.title());
            Map<String, String> settings = new java.util.TreeMap<>(line.settings());
            settings.keySet().retainAll(keys);
            m.put("settings", settings);
            Path dir = root.resolve(line.id()).normalize();
            LiveRun lr = live.get(dir);
            List<IterationMetrics> lm = lr == null ? null : lr.metrics();
            long reached = lm == null
                    ? line.reached()
                    : lm.isEmpty() ? 0 : lm.get(lm.size() - 1).iteration() + 1;
            m.put("asked", line.asked());
            m.put("reached", reached);
            m.put(
                    "last_loss",
                    finite(
                            lm == null || lm.isEmpty()
                                    ? line.lastLoss()
                                    : lm.get(lm.size() - 1).loss()));
            // The list reads no history: a run is called unreadable by its files' kinds, or once reading it failed.
            String problem = notPlain(dir);
            problem = problem != null ? problem : failures.get(dir);
            m.put(
                    "status",
                    problem != null
                            ? "unreadable: " + problem
                            : status(
                                    lr,
                                    index.outcome(dir),
                                    plugins == null ? null : RunOutcome.missingPlugins(line.settings(), plugins)));
            m.put("updated", line.updated());
            m.put("report", Files.isRegularFile(dir.resolve(TrainingRun.REPORT), LinkOption.NOFOLLOW_LINKS));
            l.add(m);
        }
        return l;
    }

    /** Everything the page draws of one run, with metrics and snapshots from iteration {@code since} on. */
    Map<String, Object> data(Path dir, long since) {
        Path key = dir.toAbsolutePath().normalize();
        try {
            Map<String, Object> m = readData(dir, since);
            failures.remove(key);
            return m;
        } catch (RuntimeException e) {
            failures.put(key, String.valueOf(e.getMessage()));
            throw e;
        }
    }

    private Map<String, Object> readData(Path dir, long since) {
        RunFiles f = files(dir);
        LiveRun lr = live.get(dir.toAbsolutePath().normalize());
        List<IterationMetrics> metrics = lr != null ? lr.metrics() : f.history.metrics();
        List<GradientFlowSnapshot> flow = lr != null ? lr.flow() : f.history.flow();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id(dir));
        m.put("name", name(id(dir)));
        m.put("title", f.title);
        m.put("config", f.config);
        m.put("asked", f.asked);
        long reached = metrics.isEmpty() ? 0 : metrics.get(metrics.size() - 1).iteration() + 1;
        m.put("reached", reached);
        m.put("status", status(lr, RunOutcome.read(dir), f.missing));
        m.put("live", lr != null && lr.outcome().isEmpty());
        m.put("clip_threshold", finite(f.clipThreshold));
        m.put("baseline", finite(f.baseline));
        m.put("since", since);
        m.put("metrics", columns(metrics, since));
        List<Map<String, Object>> fl = new ArrayList<>();
        for (GradientFlowSnapshot s : flow) {
            if (s.iteration() >= since) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("iteration", s.iteration());
                List<Object> n = new ArrayList<>();
                for (int k = 0; k < s.steps(); k++) {
                    n.add(finite(s.norm(k)));
                }
                o.put("norms", n);
                fl.add(o);
            }
        }
        m.put("flow", fl);
        m.put("spectrum_start", spectrum(f.history.spectrumStart()));
        m.put("spectrum_end", spectrum(f.spectrumEnd));
        List<Map<String, Object>> ev = new ArrayList<>();
        for (Evaluation e : f.evaluations) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("iteration", e.iteration());
            Map<String, Object> v = new LinkedHashMap<>();
            e.metrics().forEach((k, x) -> v.put(k, finite(x)));
            o.put("values", v);
            ev.add(o);
        }
        m.put("evaluations", ev);
        // outcome.json's word, and no verdict at all for a run whose plugin is not loaded (none stands in for it).
        RunOutcome outcome = lr != null ? null : RunOutcome.read(dir);
        GradientFlowVerdict verdict = f.missing != null
                ? null
                : f.measured != null
                        ? f.measured
                        : RunSummary.recordedVerdict(
                                flow,
                                f.spectrumEnd == null ? Double.NaN : f.spectrumEnd.spectralRadius(),
                                Double.NaN,
                                f.singleW);
        RunSummary sum = RunSummary.of(
                metrics,
                f.evaluations,
                reached,
                f.asked,
                f.baseline,
                Double.NaN,
                dir,
                outcome != null ? outcome.fitOutcome() : reached >= f.asked ? Outcome.FINISHED : null,
                "",
                verdict,
                f.jacobians,
                0,
                f.memoryless);
        m.put(
                "summary",
                (outcome != null && outcome.fitOutcome() == null ? outcome.sentence() + "; " : "") + sum.headline());
        m.put("final_loss", finite(sum.finalLoss()));
        m.put("learning", sum.learning().name().toLowerCase(Locale.ROOT));
        m.put("verdict", verdict == null ? null : verdict.regime().word());
        m.put("factor", verdict == null ? null : finite(verdict.factor()));
        if (verdict != null) {
            Map<String, Object> vm = verdict.toMap();
            for (String k :
                    List.of("gain", "gain_low", "gain_high", "lyapunov_exponent", "lyapunov_low", "lyapunov_high")) {
                m.put(k, vm.get(k));
            }
        }
        m.put("verdict_text", f.missing != null ? f.missing : verdict == null ? "" : verdict.sentence());
        m.put("single_w", f.singleW);
        m.put("layers", LayerView.of(lr != null ? lr.layers() : f.history.layers()));
        return m;
    }

    /** The quantities a group's mean is drawn of, each with its range. */
    private static final Map<String, RunGroups.Range> AVERAGED = Map.of(
            "loss",
            RunGroups.Range.NON_NEGATIVE,
            "accuracy",
            RunGroups.Range.UNIT,
            "grad_norm",
            RunGroups.Range.NON_NEGATIVE);

    /**
     * The mean and band of the runs in {@code dirs}, for each of loss, accuracy and gradient norm;
     * a run that cannot be read is left out and counted.
     */
    Map<String, Object> groupMean(List<Path> dirs) {
        Map<String, List<RunGroups.Curve>> by = new LinkedHashMap<>();
        AVERAGED.keySet().forEach(k -> by.put(k, new ArrayList<>()));
        int unreadable = 0;
        for (Path dir : dirs) {
            Map<String, RunGroups.Curve> c;
            try {
                c = curves(dir);
            } catch (RuntimeException e) {
                unreadable++;
                continue;
            }
            c.forEach((k, v) -> by.get(k).add(v));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", dirs.size() - unreadable);
        m.put("unreadable", unreadable);
        by.forEach((k, list) -> m.put(k, RunGroups.toMap(RunGroups.average(list, AVERAGED.get(k)))));
        return m;
    }

    private record CachedCurves(long stamp, Map<String, RunGroups.Curve> curves) {}

    /** A run's loss, accuracy and gradient norm by iteration: from memory when it trains here, else its diagnostics. */
    private Map<String, RunGroups.Curve> curves(Path dir) {
        LiveRun lr = live.get(dir.toAbsolutePath().normalize());
        if (lr != null) {
            return curvesOf(lr.metrics());
        }
        Path file = dir.resolve(TrainingRun.DIAGNOSTICS);
        long stamp = modified(file);
        synchronized (curves) {
            CachedCurves c = curves.get(dir);
            if (c != null && c.stamp == stamp) {
                return c.curves;
            }
        }
        String other = PlainFiles.notPlain(file);
        if (other != null) {
            throw new ConfigurationException(
                    TrainingRun.DIAGNOSTICS + " is " + other + "; only a run's own plain files are shown");
        }
        Map<String, RunGroups.Curve> c =
                curvesOf(History.read(file, Long.MAX_VALUE).metrics());
        synchronized (curves) {
            curves.put(dir, new CachedCurves(stamp, c));
        }
        return c;
    }

    private static Map<String, RunGroups.Curve> curvesOf(List<IterationMetrics> ms) {
        int n = ms.size();
        long[] it = new long[n];
        double[] loss = new double[n];
        double[] acc = new double[n];
        double[] gn = new double[n];
        for (int i = 0; i < n; i++) {
            IterationMetrics x = ms.get(i);
            it[i] = x.iteration();
            loss[i] = x.skipped() ? Double.NaN : x.loss();
            acc[i] = x.accuracy();
            gn[i] = x.gradNormBefore();
        }
        return Map.of(
                "loss",
                new RunGroups.Curve(it, loss),
                "accuracy",
                new RunGroups.Curve(it, acc),
                "grad_norm",
                new RunGroups.Curve(it, gn));
    }

    private static Map<String, Object> columns(List<IterationMetrics> ms, long since) {
        List<Object> it = new ArrayList<>();
        List<Object> loss = new ArrayList<>();
        List<Object> acc = new ArrayList<>();
        List<Object> gn = new ArrayList<>();
        List<Object> clipped = new ArrayList<>();
        List<Object> skipped = new ArrayList<>();
        List<Object> rho = new ArrayList<>();
        List<Object> norm = new ArrayList<>();
        for (IterationMetrics x : ms) {
            if (x.iteration() < since) {
                continue;
            }
            it.add(x.iteration());
            loss.add(x.skipped() ? null : finite(x.loss()));
            acc.add(finite(x.accuracy()));
            gn.add(finite(x.gradNormBefore()));
            clipped.add(x.clipped() ? 1 : 0);
            skipped.add(x.skipped() ? 1 : 0);
            rho.add(finite(x.spectralRadius()));
            norm.add(finite(x.spectralNorm()));
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iteration", it);
        c.put("loss", loss);
        c.put("accuracy", acc);
        c.put("grad_norm", gn);
        c.put("clipped", clipped);
        c.put("skipped", skipped);
        c.put("spectral_radius", rho);
        c.put("spectral_norm", norm);
        return c;
    }

    private static Map<String, Object> spectrum(Spectrum s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> o = new LinkedHashMap<>();
        List<Object> re = new ArrayList<>();
        List<Object> im = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            re.add(finite(s.re(i)));
            im.add(finite(s.im(i)));
        }
        o.put("real", re);
        o.put("imag", im);
        o.put("radius", finite(s.spectralRadius()));
        return o;
    }

    private static Object finite(double d) {
        return Double.isFinite(d) ? d : null;
    }

    private static String status(LiveRun lr, RunOutcome outcome, String missing) {
        if (lr != null) {
            return lr.outcome().isEmpty() ? "training" : lr.outcome();
        }
        return outcome.word() + (missing != null ? "; " + missing : "");
    }

    // ---------------------------------------------------------------- files, cached

    /** What a run's files say, read once per change of its files. */
    private static final class RunFiles {
        String title;
        Map<String, String> config;
        long asked;
        long updated;
        double clipThreshold = Double.NaN;
        double baseline = Double.NaN;
        double memoryless = Double.NaN;
        History history = new History();
        List<Evaluation> evaluations = List.of();
        Spectrum spectrumEnd;
        boolean singleW = true;
        GradientFlowVerdict measured;
        double[][] jacobians = new double[0][];
        /** The plugins this process lacks, in a sentence; null when all are loaded. */
        String missing;
    }

    private record Stamp(long config, long diagnostics, long checkpoint) {}

    private record Cached(Stamp stamp, RunFiles files) {}

    private static long modified(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a.lastModifiedTime().toMillis() * 31 + a.size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private RunFiles files(Path dir) {
        Stamp stamp = new Stamp(
                modified(dir.resolve(TrainingRun.CONFIG)),
                modified(dir.resolve(TrainingRun.DIAGNOSTICS)),
                modified(dir.resolve(TrainingRun.CHECKPOINT)));
        synchronized (cache) {
            Cached c = cache.get(dir);
            if (c != null && c.stamp.equals(stamp)) {
                return c.files;
            }
        }
        RunFiles f = read(dir);
        synchronized (cache) {
            cache.put(dir, new Cached(stamp, f));
        }
        return f;
    }

    private RunFiles read(Path dir) {
        String notPlain = notPlain(dir);
        if (notPlain != null) {
            throw new ConfigurationException(notPlain);
        }
        RunFiles f = new RunFiles();
        RunConfig cfg = Json.read(dir.resolve(TrainingRun.CONFIG));
        f.asked = cfg.iterations();
        f.title = cfg.task() + " — " + cfg.cell() + ", H=" + cfg.hidden();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("task", cfg.task().toString());
        c.put("cell", cfg.cell() + ", H=" + cfg.hidden());
        c.put("optimizer", cfg.optimizer().toString());
        c.put("policy", cfg.policy().toString());
        c.put("truncation", cfg.truncation().toString());
        c.put("initializer", cfg.initializer().toString());
        c.put("batch", Integer.toString(cfg.batch()));
        c.put("seed", Long.toString(cfg.seed()));
        f.config = c;
        f.updated = Stream.of(TrainingRun.CONFIG, TrainingRun.DIAGNOSTICS, TrainingRun.CHECKPOINT)
                .map(dir::resolve)
                .mapToLong(p -> {
                    try {
                        return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)
                                .toMillis();
                    } catch (IOException e) {
                        return 0;
                    }
                })
                .max()
                .orElse(0);
        f.missing = plugins == null ? null : RunOutcome.missingPlugins(cfg, plugins);
        f.clipThreshold = clipThreshold(cfg);
        Path diagnostics = dir.resolve(TrainingRun.DIAGNOSTICS);
        f.history = History.read(diagnostics, Long.MAX_VALUE);
        f.evaluations = Evaluation.read(diagnostics);
        Path ckpt = dir.resolve(TrainingRun.CHECKPOINT);
        if (plugins != null && Files.isRegularFile(ckpt, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Network net = Network.load(Checkpoint.read(ckpt), ckpt.toString(), plugins);
                Spectral s = net.spectral();
                f.singleW = net.model().recurrentMatrix().isPresent();
                f.spectrumEnd = s == null ? null : new Spectrum(s.real(), s.imag());
                Task task = plugins.create(PluginFamily.TASK, net.config().task());
                double perStep = task.baselineLoss();
                double scale = net.config().lossMean() == LossMean.STEP
                        ? 1
                        : task.newBatch(1).lossStepCount();
                f.baseline = perStep * scale;
                f.memoryless = task.memorylessLoss() * scale;
                double cost = (double) NetworkFlow.SEQUENCES
                        * task.steps()
                        * net.model().hiddenSize()
                        * net.model().hiddenSize()
                        * net.model().stateWidth();
                if (cost <= MEASURE_BUDGET) {
                    NetworkFlow flow = NetworkFlow.measure(net, task);
                    f.measured = flow.verdict(RunSummary.recordedFits(f.history.flow()));
                    f.jacobians = flow.norms();
                }
            } catch (RuntimeException | LinkageError e) {
                // A checkpoint being replaced, or a plugin this process lacks: show what the history says.
            }
        }
        return f;
    }

    /** Why a run's files are not shown (one is a link, a folder, …), or null when they are its own plain files. */
    private static String notPlain(Path dir) {
        for (String name : List.of(TrainingRun.CONFIG, TrainingRun.DIAGNOSTICS, TrainingRun.CHECKPOINT)) {
            String other = PlainFiles.notPlain(dir.resolve(name));
            if (other != null) {
                return name + " is " + other + "; only a run's own plain files are shown";
            }
        }
        return null;
    }

    /** The clip threshold of a configuration, asked of its policy; NaN when it does not clip by norm. */
    private double clipThreshold(RunConfig cfg) {
        return org.bptt.training.run.ClipThreshold.of(cfg.policy(), plugins);
    }

    /** Names used in tests: the files a run folder may be asked for by the page. */
    static final Set<String> SERVED_FILES = Set.of(TrainingRun.REPORT, "analysis.html");
}

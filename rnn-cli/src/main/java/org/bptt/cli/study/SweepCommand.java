package org.bptt.cli.study;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.bptt.api.plugin.ConfigurationException;
import org.bptt.cli.Main;
import org.bptt.cli.PluginPathOption;
import org.bptt.cli.train.TrainCommand;
import org.bptt.study.Combinations;
import org.bptt.study.LocalSweep;
import org.bptt.study.PlanEntry;
import org.bptt.study.SummaryRow;
import org.bptt.study.SweepPlan;
import org.bptt.study.SweepSummary;
import org.bptt.training.eval.EvaluationSettings;
import org.bptt.training.plugin.PluginFamily;
import org.bptt.training.plugin.Plugins;
import org.bptt.training.run.RunConfig;
import org.bptt.training.wiring.PluginChoice;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnn sweep}: trains every combination of settings over seeds, concurrently, resumably, and summarizes. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        subcommands = SweepCommand.Collect.class,
        description = {"Train every combination of varied train options over seeds, several at once, and summarize them.",
                "The combinations: a grid (--vary), listed combinations (--combo, crossed with the grid) or random draws "
                        + "(--random). Options after -- are train options every run shares.",
                "Runs go to DIR/runs/<id>/ (ordinary run folders), several at once; DIR/plan.json is the plan, and when every "
                        + "run is done DIR/summary.csv and DIR/summary.html summarize them.",
                "Resumable: run the same command again, or 'rnn sweep --resume DIR'; finished runs are kept and stopped "
                        + "ones continue from their checkpoints."},
        footer = {"", "Examples:",
                "  rnn sweep -o runs/sw --vary radius=0.5,0.9,1.1 \\",
                "      --vary policy=none,clip-norm --seeds 1,2,3 \\",
                "      -- --task temporal-order --steps 50 --init spectral",
                "  rnn sweep -o runs/lr --random 12 \\",
                "      --vary lr=log:1e-4..1e-2 --vary hidden=32..128 -- --steps 100",
                "  rnn sweep -o runs/big --shard 2/4 ...",
                "  rnn sweep collect runs/big     (when every shard is done)"})
public final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginPathOption pluginPath;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "The sweep folder.")
    Path output;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the sweep in DIR from its plan.json.")
    Path resume;

    @Option(names = "--vary", paramLabel = "KEY=VALUES", description = "A train option (without --) and its values, "
            + "e.g. radius=0.5,0.9 or policy=none,clip-norm; a plugin option as FLAG.KEY, e.g. opt.beta2=0.9,0.99 or "
            + "task-opt.delay=10,20. With --random also a range: lr=1e-4..1e-2, lr=log:1e-4..1e-2, hidden=32..128.")
    List<String> vary;

    @Option(names = "--combo", paramLabel = "'KEY=V KEY=V'", description = "One listed combination of settings (repeatable); "
            + "each is crossed with the --vary grid.")
    List<String> combos;

    @Option(names = "--random", paramLabel = "N", description = "Draw N combinations at random from the --vary values and ranges.")
    Integer random;

    @Option(names = "--draw-seed", paramLabel = "S", defaultValue = "1", description = "Seed of the random draws (default: ${DEFAULT-VALUE}).")
    long drawSeed;

    @Option(names = "--seeds", paramLabel = "LIST", defaultValue = "1", description = "Training seeds of every combination: 1,2,3 "
            + "or 1..5 (default: ${DEFAULT-VALUE}).")
    String seeds;

    @Option(names = "--parallel", paramLabel = "N", description = "Runs at once, each on its own thread (default: the number of "
            + "cores).")
    Integer parallel;

    @Option(names = "--shard", paramLabel = "i/n", description = "Run only every n-th run from the i-th (for job arrays); then "
            + "'rnn sweep collect DIR'.")
    String shard;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "local", description = "Where the runs train: local "
            + "(this machine's threads) or spark (Apache Spark, see README; the folder may then be a URI) "
            + "(default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "With --engine spark: the Spark master URL, such as "
            + "local[2] or yarn (default: spark-submit's, else local[*]); local[2,3] gives each run 3 attempts.")
    String master;

    @Option(names = "--eval-sequences", paramLabel = "N", description = "Held-out sequences evaluated per run (default: "
            + EvaluationSettings.DEFAULT_SEQUENCES + ").")
    Integer evalSequences;

    @Option(names = "--success-fraction", paramLabel = "F", description = "Fraction of held-out sequences a run must get right "
            + "to succeed (default: the task's own rule, which 'rnn evaluate' states).")
    Double successFraction;

    @Option(names = "--dry-run", description = "Print the plan's runs and stop.")
    boolean dryRun;

    @Option(names = {"-q", "--quiet"}, description = "No progress; print only the summary.")
    boolean quiet;

    @Parameters(paramLabel = "TRAIN-OPTIONS", description = "After --: train options every run shares.")
    List<String> trainOptions;

    /** Train options a sweep sets itself, or that make no sense in one. */
    private static final List<String> REFUSED = List.of("--output", "-o", "--resume", "--quiet", "-q", "--metrics", "--seed",
            "--plugins", "--help", "-h", "--version", "-V");

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        SweepEngine other = engine();
        Plugins plugins = pluginPath.plugins();
        int[] sh = shard();
        int par = parallel == null ? Runtime.getRuntime().availableProcessors() : parallel;
        SweepPlan plan;
        Path folder;
        // An engine takes the folder as typed: a URI such as hdfs://host/dir is not a local path.
        String where = given(resume != null ? "--resume" : "-o");
        if (other == null && where != null && where.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw new ConfigurationException("the sweep folder " + where + " is a URI; the local engine writes to a folder of "
                    + "this machine, --engine spark to a URI");
        }
        if (resume != null) {
            if (output != null || vary != null || combos != null || random != null || trainOptions != null
                    || evalSequences != null || successFraction != null || !seeds.equals("1")) {
                throw new ConfigurationException("--resume continues a sweep with its own plan; it takes only --parallel, "
                        + "--shard, --engine, --master, --quiet and --plugins");
            }
            folder = resume;
            plan = other == null ? SweepPlan.read(folder) : other.readPlan(where);
        } else {
            if (output == null) {
                throw new ConfigurationException("give the sweep folder with -o DIR (or continue one with --resume DIR)");
            }
            folder = output;
            plan = plan(plugins);
        }
        if (dryRun) {
            out.println(plan.entries().size() + " runs" + (sh[1] > 1 ? ", " + plan.shard(sh[0], sh[1]).size() + " in shard "
                    + sh[0] + "/" + sh[1] : "") + ":");
            for (PlanEntry e : sh[1] > 1 ? plan.shard(sh[0], sh[1]) : plan.entries()) {
                out.println("  " + e.id() + "  (" + e.config().iterations() + " iterations)");
            }
            return 0;
        }
        SweepProgress progress = new SweepProgress(System.err, quiet);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            progress.stop();
            try {
                // Let every run write its checkpoint before the JVM goes.
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sweep-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        LocalSweep.Outcome o;
        try {
            o = other == null ? LocalSweep.run(plan, folder, plugins, sh[0], sh[1], par, progress)
                    : other.run(plan, where, new SweepEngine.Request(master, pluginPath.entries()), progress);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down (Ctrl-C): the hook is running.
            }
        }
        return report(out, folder, where, plan, o, sh, progress.stopped(), other != null);
    }

    private int report(PrintWriter out, Path folder, String where, SweepPlan plan, LocalSweep.Outcome o, int[] sh,
                       boolean interrupted, boolean elsewhere) {
        if (o.summarized() && elsewhere) {
            // The engine's folder may be out of this machine's reach: its rows say what the summary holds.
            out.print(SweepSummary.text(plan, o.rows().stream().filter(r -> !r.status().equals(SummaryRow.FAILED)).toList()));
            String dir = where.endsWith("/") ? where : where + "/";
            out.println("summary: " + dir + SweepSummary.CSV + ", " + dir + SweepSummary.HTML);
        } else if (o.summarized()) {
            List<PlanEntry> none = new ArrayList<>();
            out.print(SweepSummary.text(plan, SweepSummary.collect(plan, folder, none)));
            out.println("summary: " + folder.resolve(SweepSummary.CSV) + ", " + folder.resolve(SweepSummary.HTML));
        } else if (!o.stopped().isEmpty() || interrupted) {
            out.println("stopped: " + o.stopped().size() + " runs saved at their checkpoints; continue with: rnn sweep --resume "
                    + org.bptt.cli.ShellWord.of(folder));
        } else if (sh[1] > 1) {
            out.println("shard " + sh[0] + "/" + sh[1] + " done: " + (plan.entries().size() - o.missing().size()) + " of "
                    + plan.entries().size() + " runs have results; when every shard is done: rnn sweep collect "
                    + org.bptt.cli.ShellWord.of(folder));
        }
        if (o.failed() > 0) {
            out.println(o.failed() + " runs failed (they are tried again when the sweep is resumed):");
            o.rows().stream().filter(r -> r.status().equals(SummaryRow.FAILED))
                    .forEach(r -> out.println("  " + r.id() + ": " + r.message()));
            return Main.EXIT_FAILED;
        }
        return o.stopped().isEmpty() && !interrupted ? 0 : Main.EXIT_FAILED;
    }

    /** The engine --engine names: null for the local one; another is found by ServiceLoader. */
    private SweepEngine engine() {
        if (engine.equals("local")) {
            if (master != null) {
                throw new ConfigurationException("--master goes with --engine spark; the local engine runs on this machine");
            }
            return null;
        }
        if (parallel != null || shard != null) {
            throw new ConfigurationException("--engine " + engine + " decides itself how many runs train at once and where; "
                    + "--parallel and --shard are for the local engine" + (engine.equals("spark")
                    ? " (with Spark: --master local[N], or executors and their cores)" : ""));
        }
        List<String> names = new ArrayList<>(List.of("local"));
        for (SweepEngine e : java.util.ServiceLoader.load(SweepEngine.class)) {
            if (e.name().equals(engine)) {
                return e;
            }
            names.add(e.name());
        }
        throw new ConfigurationException("--engine " + engine + " is not available here; the engines on the class path are "
                + String.join(", ", names) + (engine.equals("spark") ? " (./rnn adds the Spark engine when given --engine "
                + "spark; from Java, put rnn-spark and Spark on the class path)" : ""));
    }

    /** An option's value exactly as typed, or null when not given. */
    private String given(String option) {
        CommandLine.ParseResult p = spec.commandLine().getParseResult();
        return p.hasMatchedOption(option) ? p.matchedOption(option).stringValues().get(0) : null;
    }

    private int[] shard() {
        if (shard == null) {
            return new int[] {1, 1};
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})/(\\d{1,6})").matcher(shard.strip());
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > Integer.parseInt(m.group(2))) {
            throw new ConfigurationException("--shard takes i/n with 1 <= i <= n, e.g. 2/4, got '" + shard + "'");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /** The plan: every combination of the varied options for every seed, each run configured as 'rnn train' would. */
    SweepPlan plan(Plugins plugins) {
        List<String> shared = trainOptions == null ? List.of() : trainOptions;
        for (String a : shared) {
            String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (REFUSED.contains(flag)) {
                throw new ConfigurationException("the train option " + flag + " has no place after -- in a sweep"
                        + (flag.equals("--seed") ? "; give the seeds with --seeds" : flag.equals("--plugins")
                        ? "; give --plugins before --" : ": the sweep decides it"));
            }
        }
        CommandSpec train = new CommandLine(new TrainCommand()).getCommandSpec();
        Map<String, Combinations.Axis> axes = new LinkedHashMap<>();
        for (String v : vary == null ? List.<String>of() : vary) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new ConfigurationException("--vary takes KEY=VALUES, e.g. radius=0.5,0.9, got '" + v + "'");
            }
            String key = v.substring(0, eq).strip();
            flagsOf(train, key, shared);
            if (axes.put(key, Combinations.axis(key, v.substring(eq + 1))) != null) {
                throw new ConfigurationException("--vary " + key + " is given twice; list all its values in one --vary");
            }
        }
        List<Map<String, String>> listed = new ArrayList<>();
        for (String c : combos == null ? List.<String>of() : combos) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String kv : c.strip().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigurationException("--combo takes space-separated KEY=VALUE pairs, e.g. 'activation=relu "
                            + "init=identity', got '" + c + "'");
                }
                String key = kv.substring(0, eq);
                flagsOf(train, key, shared);
                if (m.put(key, kv.substring(eq + 1)) != null) {
                    throw new ConfigurationException("--combo '" + c + "' sets " + key + " twice");
                }
            }
            listed.add(m);
        }
        List<Map<String, String>> combinations;
        if (random != null) {
            if (!listed.isEmpty()) {
                throw new ConfigurationException("--random draws from --vary; it cannot be combined with --combo");
            }
            if (axes.isEmpty()) {
                throw new ConfigurationException("--random needs settings to draw: give --vary KEY=VALUES or a range");
            }
            combinations = Combinations.random(axes, random, drawSeed);
        } else {
            combinations = Combinations.cross(listed, Combinations.grid(axes));
        }
        List<String> varied = new ArrayList<>(new LinkedHashSet<>(combinations.stream().flatMap(m -> m.keySet().stream()).toList()));
        List<Long> seedList = seeds(seeds);
        EvaluationSettings[] evaluation = new EvaluationSettings[1];
        SweepPlan plan = SweepPlan.of(title(varied, shared), varied, EvaluationSettings.defaults(), combinations, seedList,
                (values, seed) -> {
                    List<String> args = new ArrayList<>(shared);
                    values.forEach((k, v) -> args.addAll(flagsOf(train, k, List.of()).apply(v)));
                    args.addAll(List.of("--seed", Long.toString(seed)));
                    TrainCommand.Options o = TrainCommand.parse(args, plugins);
                    evaluation[0] = o.evaluation();
                    return o.config();
                });
        checkPlugins(plan, plugins);
        EvaluationSettings ev = evaluation[0];
        if (evalSequences != null) {
            ev = ev.withSequences(evalSequences);
        }
        if (successFraction != null) {
            ev = ev.withRequired(successFraction);
        }
        return new SweepPlan(plan.title(), plan.varied(), ev, plan.entries());
    }

    /**
     * Creates every distinct plugin choice of the plan once, so that a value a plugin refuses (a
     * length below its minimum, a missing text file) fails now, in one sentence, not in the middle
     * of the sweep.
     */
    private static void checkPlugins(SweepPlan plan, Plugins plugins) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (PlanEntry e : plan.entries()) {
            RunConfig c = e.config();
            List<java.util.Map.Entry<PluginFamily, PluginChoice>> choices = new ArrayList<>(List.of(
                    java.util.Map.entry(PluginFamily.TASK, c.task()), java.util.Map.entry(PluginFamily.CELL, c.cell()),
                    java.util.Map.entry(PluginFamily.OPTIMIZER, c.optimizer()), java.util.Map.entry(PluginFamily.POLICY, c.policy()),
                    java.util.Map.entry(PluginFamily.TRUNCATION, c.truncation()),
                    java.util.Map.entry(PluginFamily.INITIALIZER, c.initializer())));
            if (c.loss() != null) {
                choices.add(java.util.Map.entry(PluginFamily.LOSS, c.loss()));
            }
            for (var x : choices) {
                if (seen.add(x.getKey() + " " + x.getValue())) {
                    try {
                        plugins.create(x.getKey(), x.getValue());
                    } catch (ConfigurationException ex) {
                        throw new ConfigurationException("run " + e.id() + ": " + ex.getMessage());
                    }
                }
            }
        }
    }

    private static String title(List<String> varied, List<String> shared) {
        return "sweep of " + (varied.isEmpty() ? "seeds" : String.join(" × ", varied)) + (shared.isEmpty() ? ""
                : " (" + String.join(" ", shared) + ")");
    }

    /**
     * How a varied setting becomes train options: KEY → --KEY VALUE; FLAG.KEY → --FLAG KEY=VALUE for
     * a plugin-option flag. Refuses keys train does not know and keys also given after --.
     */
    private static java.util.function.Function<String, List<String>> flagsOf(CommandSpec train, String key, List<String> shared) {
        int dot = key.indexOf('.');
        String flag = "--" + (dot > 0 ? key.substring(0, dot) : key);
        OptionSpec o = train.findOption(flag);
        if (o == null || REFUSED.contains(flag) || o.typeInfo().isBoolean()) {
            throw new ConfigurationException("cannot vary '" + key + "': " + (flag.equals("--seed") ? "give the seeds with --seeds"
                    : "'rnn train' has no option " + flag + " to vary") + "; vary a train option without its dashes, e.g. "
                    + "radius, or a plugin option as FLAG.KEY, e.g. opt.beta2");
        }
        boolean keyValue = "KEY=VALUE".equals(o.paramLabel());
        if (dot > 0 != keyValue) {
            throw new ConfigurationException(keyValue ? "vary a plugin option through " + flag + " as " + key + ".KEY, e.g. "
                    + key + ".beta2" : "'" + key + "': " + flag + " takes a value, not KEY=VALUE; vary it as "
                    + key.substring(0, dot));
        }
        if (!keyValue && (shared.contains(flag) || shared.stream().anyMatch(a -> a.startsWith(flag + "=")))) {
            throw new ConfigurationException(flag + " is both varied and given after --; give it in one place");
        }
        String sub = dot > 0 ? key.substring(dot + 1) : null;
        return v -> sub == null ? List.of(flag, v) : List.of(flag, sub + "=" + v);
    }

    /** 1,2,3 or 1..5. */
    static List<Long> seeds(String spec) {
        String s = spec.strip();
        try {
            if (s.matches("\\d+\\.\\.\\d+")) {
                long a = Long.parseLong(s.substring(0, s.indexOf('.')));
                long b = Long.parseLong(s.substring(s.indexOf("..") + 2));
                if (a > b) {
                    throw new NumberFormatException();
                }
                if (b - a >= SweepPlan.MAX_RUNS) {
                    throw tooManySeeds(spec);
                }
                List<Long> l = new ArrayList<>();
                for (long x = a; x <= b; x++) {
                    l.add(x);
                }
                return l;
            }
            List<Long> l = new ArrayList<>();
            if (s.chars().filter(c -> c == ',').count() >= SweepPlan.MAX_RUNS) {
                throw tooManySeeds(spec);
            }
            for (String p : s.split(",", -1)) {
                l.add(Long.parseLong(p.strip()));
            }
            if (new LinkedHashSet<>(l).size() != l.size()) {
                throw new ConfigurationException("--seeds lists a seed twice: '" + spec + "'");
            }
            return l;
        } catch (NumberFormatException e) {
            throw new ConfigurationException("--seeds takes whole numbers such as 1,2,3 or a range such as 1..5, got '" + spec + "'");
        }
    }

    private static ConfigurationException tooManySeeds(String spec) {
        return new ConfigurationException("--seeds gives more than " + SweepPlan.MAX_RUNS + " seeds (the most runs one sweep "
                + "may hold), got '" + (spec.length() > 40 ? spec.substring(0, 40) + "…" : spec) + "'");
    }

    /** {@code rnn sweep collect DIR}: the summary of a sweep whose shards ran separately. */
    @Command(name = "collect", mixinStandardHelpOptions = true,
            description = "Write DIR/summary.csv and DIR/summary.html from the results of every run of the sweep in DIR "
                    + "(after its shards ran); lists the runs that have none yet.")
    static final class Collect implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "The sweep folder.")
        Path folder;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            if (!Files.isDirectory(folder)) {
                throw new ConfigurationException(folder + ": no such sweep folder");
            }
            SweepPlan plan = SweepPlan.read(folder);
            List<PlanEntry> missing = SweepSummary.collectAndWrite(folder);
            List<PlanEntry> none = new ArrayList<>();
            out.print(SweepSummary.text(plan, SweepSummary.collect(plan, folder, none)));
            out.println("summary: " + folder.resolve(SweepSummary.CSV) + ", " + folder.resolve(SweepSummary.HTML));
            if (!missing.isEmpty()) {
                out.println(missing.size() + " of " + plan.entries().size() + " runs have no result yet: "
                        + String.join(", ", missing.stream().limit(10).map(PlanEntry::id).toList())
                        + (missing.size() > 10 ? ", ..." : ""));
                return Main.EXIT_FAILED;
            }
            return 0;
        }
    }
}

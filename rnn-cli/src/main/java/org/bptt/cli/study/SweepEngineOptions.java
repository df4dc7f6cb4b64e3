package org.bptt.cli.study;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.study.LocalSweep;
import org.bptt.study.SweepEngine;
import org.bptt.study.SweepPlan;
import org.bptt.training.plugin.Plugins;
import picocli.CommandLine.Option;

/** Where {@code rnn sweep}'s runs train: this machine's threads (a shard of them), or another engine. */
final class SweepEngineOptions {
    @Option(
            names = "--parallel",
            paramLabel = "N",
            description = "Runs at once, each on its own thread (default: the number of " + "cores).")
    Integer parallel;

    @Option(
            names = "--shard",
            paramLabel = "i/n",
            description = "Run only every n-th run from the i-th (for job arrays); then " + "'rnn sweep collect DIR'.")
    String shard;

    @Option(
            names = "--engine",
            paramLabel = "NAME",
            defaultValue = "local",
            description = "Where the runs train: local "
                    + "(this machine's threads) or spark (Apache Spark, see README; the folder may then be a URI) "
                    + "(default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description =
                    "With --engine spark: the Spark master URL, such as "
                            + "local[2] or yarn (default: spark-submit's, else local[*]); local[2,3] gives each run 3 attempts.")
    String master;

    /** The engine --engine names: null for the local one; another is found by ServiceLoader. */
    SweepEngine select() {
        if (engine.equals("local")) {
            if (master != null) {
                throw new ConfigurationException(
                        "--master goes with --engine spark; the local engine runs on this machine");
            }
            return null;
        }
        if (parallel != null || shard != null) {
            throw new ConfigurationException("--engine " + engine
                    + " decides itself how many runs train at once and where; "
                    + "--parallel and --shard are for the local engine"
                    + (engine.equals("spark") ? " (with Spark: --master local[N], or executors and their cores)" : ""));
        }
        List<String> names = new ArrayList<>(List.of("local"));
        for (SweepEngine e : java.util.ServiceLoader.load(SweepEngine.class)) {
            if (e.name().equals(engine)) {
                return e;
            }
            names.add(e.name());
        }
        throw new ConfigurationException(
                "--engine " + engine + " is not available here; the engines on the class path are "
                        + String.join(", ", names)
                        + (engine.equals("spark")
                                ? " (./rnn adds the Spark engine when given --engine "
                                        + "spark; from Java, put rnn-spark and Spark on the class path)"
                                : ""));
    }

    /** {i, n} of --shard; {1, 1} without it. */
    int[] shard() {
        if (shard == null) {
            return new int[] {1, 1};
        }
        Matcher m = Pattern.compile("(\\d{1,6})/(\\d{1,6})").matcher(shard.strip());
        if (!m.matches()
                || Integer.parseInt(m.group(1)) < 1
                || Integer.parseInt(m.group(1)) > Integer.parseInt(m.group(2))) {
            throw new ConfigurationException("--shard takes i/n with 1 <= i <= n, e.g. 2/4, got '" + shard + "'");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /**
     * Trains the plan's runs with {@code other} (null: locally), stopping them at a checkpoint when
     * the JVM is asked to end (Ctrl-C) and waiting for them to save.
     */
    LocalSweep.Outcome run(
            SweepEngine other,
            SweepPlan plan,
            Path folder,
            String where,
            Plugins plugins,
            List<Path> pluginPath,
            SweepProgress progress)
            throws IOException {
        int[] sh = shard();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    progress.stop();
                    try {
                        // Let every run write its checkpoint before the JVM goes.
                        finished.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "sweep-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return other == null
                    ? LocalSweep.run(
                            plan,
                            folder,
                            plugins,
                            sh[0],
                            sh[1],
                            parallel == null ? Runtime.getRuntime().availableProcessors() : parallel,
                            progress)
                    : other.run(plan, where, new SweepEngine.Request(master, pluginPath), progress);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down (Ctrl-C): the hook is running.
            }
        }
    }
}

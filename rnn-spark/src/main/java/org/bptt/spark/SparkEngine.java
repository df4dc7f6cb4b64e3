package org.bptt.spark;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.bptt.api.plugin.ConfigurationException;
import org.bptt.study.LocalSweep;
import org.bptt.study.SweepEngine;
import org.bptt.study.SweepListener;
import org.bptt.study.SweepPlan;

/**
 * {@code rnn sweep --engine spark}: starts a Spark application for the sweep (or joins the one
 * spark-submit configured), runs the plan with {@link SparkSweep}, and stops it. Registered
 * for {@link java.util.ServiceLoader} in {@code META-INF/services}.
 */
public final class SparkEngine implements SweepEngine {
    /** The SIMD kernels' JIT flags (docs/architecture.md, "Running the SIMD kernels") and Guice's, given to executors Spark launches. */
    static final String SIMD_JIT_FLAGS = String.join(
            " ", org.bptt.simd.JvmOptions.of(org.bptt.simd.JvmOptions.Group.JIT, org.bptt.simd.JvmOptions.Group.GUICE));

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public SweepPlan readPlan(String folder) throws IOException {
        return SparkSweep.readPlan(folder, hadoop(new SparkConf()));
    }

    @Override
    public LocalSweep.Outcome run(SweepPlan plan, String folder, Request request, SweepListener listener)
            throws IOException {
        SparkConf conf = conf(plan, request.master());
        JavaSparkContext spark;
        try {
            spark = new JavaSparkContext(conf);
        } catch (Exception e) {
            // Scala declares no exceptions: a master URL Spark cannot parse, or cores fewer than a run's
            // threads, comes as a SparkException all the same. Those are the user's to change.
            if (e instanceof SparkException || e instanceof IllegalArgumentException) {
                throw new ConfigurationException("Spark cannot start with master " + conf.get("spark.master") + ": "
                        + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        try {
            return SparkSweep.run(
                    spark,
                    plan,
                    folder,
                    request.pluginPath().stream().map(Path::toString).toList(),
                    listener,
                    AttemptHook.NONE);
        } finally {
            spark.stop();
        }
    }

    /**
     * Spark's configuration for a sweep: spark-submit's (the spark.* system properties), the
     * master given, else local[*]; each task as many cores as its run's kernels use; the SIMD
     * kernels' JIT flags for executors; no web UI on a local master unless asked for.
     */
    static SparkConf conf(SweepPlan plan, String master) {
        SparkConf conf = new SparkConf();
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        conf.setIfMissing("spark.app.name", "rnn " + plan.title());
        int threads = plan.entries().stream()
                .mapToInt(e -> e.config().threads())
                .max()
                .orElse(1);
        conf.setIfMissing("spark.task.cpus", Integer.toString(threads));
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        String executor = conf.get("spark.executor.extraJavaOptions", "");
        if (!executor.contains("SimdKernels")) {
            conf.set("spark.executor.extraJavaOptions", (executor + " " + SIMD_JIT_FLAGS).strip());
        }
        return conf;
    }

    /** Hadoop's configuration as Spark gives it to jobs: the defaults and every spark.hadoop.* setting. */
    static Configuration hadoop(SparkConf conf) {
        Configuration c = new Configuration();
        for (scala.Tuple2<String, String> kv : conf.getAllWithPrefix("spark.hadoop.")) {
            c.set(kv._1(), kv._2());
        }
        return c;
    }
}
